import { useEffect, useState } from 'preact/hooks';
import { announce } from '../conversation/state.js';
import { describeError, request } from '../shared/graphql.js';
import type {
  DeskDigestMutation,
  DeskDigestMutationVariables,
  DeskRenameMutation,
  DeskRenameMutationVariables,
  DeskSettingsQuery,
} from '../shared/graphql-types.js';
import { deskDigestMutation, deskRenameMutation, deskSettingsQuery } from './documents.js';
import { ModerationSettingsForm } from './ModerationSettings.js';

/** The review digest (on/off, hour, time zone), the name readers see, and moderation. */
export function Settings({ onRenamed }: { onRenamed: () => Promise<void> }) {
  const [me, setMe] = useState<DeskSettingsQuery['me'] | undefined>(undefined);
  const [name, setName] = useState('');
  const [enabled, setEnabled] = useState(false);
  const [hour, setHour] = useState(8);
  const [zone, setZone] = useState('UTC');
  const [error, setError] = useState('');
  useEffect(() => {
    request<DeskSettingsQuery>(deskSettingsQuery).then(
      (data) => {
        setMe(data.me);
        setName(data.me?.displayName ?? '');
        setEnabled(data.me?.reviewDigest?.enabled ?? false);
        setHour(data.me?.reviewDigest?.sendHour ?? 8);
        setZone(data.me?.reviewDigest?.timezone ?? 'UTC');
      },
      (failure) => setError(describeError(failure)),
    );
  }, []);
  const run = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      setError('');
      announce(done);
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  if (me === undefined && !error) return <p>Loading…</p>;
  return (
    <section aria-labelledby="desk-settings-title">
      <h2 id="desk-settings-title">Settings</h2>
      <form
        class="settings-form"
        onSubmit={(event) => {
          event.preventDefault();
          void run(async () => {
            await request<DeskRenameMutation, DeskRenameMutationVariables>(deskRenameMutation, {
              displayName: name,
            });
            await onRenamed();
          }, 'Name saved.');
        }}
      >
        <h3>Your name</h3>
        <div class="field">
          <label for="desk-name">Name readers see</label>
          <input
            id="desk-name"
            type="text"
            maxLength={60}
            required
            value={name}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </div>
        <button type="submit" class="button">
          Save name
        </button>
      </form>
      <form
        class="settings-form"
        onSubmit={(event) => {
          event.preventDefault();
          void run(
            () =>
              request<DeskDigestMutation, DeskDigestMutationVariables>(deskDigestMutation, {
                input: { enabled, sendHour: hour, timezone: zone.trim() },
              }),
            'Review digest saved.',
          );
        }}
      >
        <h3>Review digest</h3>
        <p>An email each day with what needs your attention.</p>
        <div class="field field--check">
          <input
            id="desk-digest-on"
            type="checkbox"
            checked={enabled}
            onChange={(event) => setEnabled(event.currentTarget.checked)}
          />
          <label for="desk-digest-on">Send me the review digest</label>
        </div>
        <div class="field">
          <label for="desk-digest-hour">Hour</label>
          <select
            id="desk-digest-hour"
            value={String(hour)}
            onChange={(event) => setHour(Number(event.currentTarget.value))}
          >
            {Array.from({ length: 24 }, (_, value) => (
              <option value={String(value)} key={value}>
                {String(value).padStart(2, '0')}:00
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="desk-digest-zone">Time zone</label>
          <input
            id="desk-digest-zone"
            type="text"
            required
            value={zone}
            aria-describedby="desk-digest-zone-hint"
            onInput={(event) => setZone(event.currentTarget.value)}
          />
          <p class="field__hint" id="desk-digest-zone-hint">
            A name like Europe/Berlin or America/New_York.
          </p>
        </div>
        <button type="submit" class="button">
          Save digest settings
        </button>
      </form>
      <p class="form__error" role="alert">
        {error}
      </p>
      <ModerationSettingsForm />
    </section>
  );
}
