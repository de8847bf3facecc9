import { useEffect, useState } from 'preact/hooks';
import { announce } from '../conversation/state.js';
import { describeError, request } from '../shared/graphql.js';
import type {
  DeskModerationSettingsQuery,
  DeskModerationSettingsQueryVariables,
  DeskUpdateModerationSettingsMutation,
  DeskUpdateModerationSettingsMutationVariables,
  ModerationMode,
} from '../shared/graphql-types.js';
import { deskModerationSettingsQuery, deskUpdateModerationSettingsMutation } from './documents.js';

const MODES: { value: ModerationMode; label: string }[] = [
  { value: 'OFF', label: 'Publish at once' },
  { value: 'FIRST_TIME', label: "Hold a reader's first response" },
  { value: 'ALL', label: 'Hold every response' },
];

/** Moderation settings: global, or one essay's own. */
export function ModerationSettingsForm() {
  const [essayId, setEssayId] = useState('');
  const [essays, setEssays] = useState<{ id: string; title: string }[]>([]);
  const [mode, setMode] = useState<ModerationMode>('OFF');
  const [terms, setTerms] = useState('');
  const [maxLinks, setMaxLinks] = useState('');
  const [error, setError] = useState('');
  // Fields wait for the scope's settings, so nothing typed is overwritten by them.
  const [loaded, setLoaded] = useState(false);
  useEffect(() => {
    request<DeskModerationSettingsQuery, DeskModerationSettingsQueryVariables>(
      deskModerationSettingsQuery,
      { essayId: essayId || null },
    ).then(
      (data) => {
        const settings = data.moderationSettings;
        setEssays(data.essays.edges.map((edge) => edge.node));
        setMode(settings.mode);
        setTerms(settings.blockedTerms.join('\n'));
        setMaxLinks(settings.maxLinks === null ? '' : String(settings.maxLinks));
        setError('');
        setLoaded(true);
      },
      (failure: unknown) => setError(describeError(failure)),
    );
  }, [essayId]);

  return (
    <form
      class="settings-form"
      onSubmit={(event) => {
        event.preventDefault();
        request<
          DeskUpdateModerationSettingsMutation,
          DeskUpdateModerationSettingsMutationVariables
        >(deskUpdateModerationSettingsMutation, {
          input: {
            ...(essayId ? { essayId } : {}),
            mode,
            blockedTerms: terms
              .split('\n')
              .map((term) => term.trim())
              .filter(Boolean),
            maxLinks: maxLinks.trim() === '' ? null : Number(maxLinks),
          },
        }).then(
          () => {
            setError('');
            announce('Moderation settings saved.');
          },
          (failure: unknown) => setError(describeError(failure)),
        );
      }}
    >
      <h3>Moderation</h3>
      <div class="field">
        <label for="desk-moderation-scope">Applies to</label>
        <select
          id="desk-moderation-scope"
          value={essayId}
          onChange={(event) => {
            setLoaded(false);
            setEssayId(event.currentTarget.value);
          }}
        >
          <option value="">Every essay (global)</option>
          {essays.map((essay) => (
            <option value={essay.id} key={essay.id}>
              {essay.title}
            </option>
          ))}
        </select>
      </div>
      <fieldset class="settings-form__group" disabled={!loaded} aria-busy={!loaded}>
        <legend class="visually-hidden">Settings for this scope</legend>
        <div class="field">
          <label for="desk-moderation-mode">Hold responses</label>
          <select
            id="desk-moderation-mode"
            value={mode}
            onChange={(event) => setMode(event.currentTarget.value as ModerationMode)}
          >
            {MODES.map((entry) => (
              <option value={entry.value} key={entry.value}>
                {entry.label}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="desk-moderation-terms">Blocked terms</label>
          <textarea
            id="desk-moderation-terms"
            rows={3}
            value={terms}
            aria-describedby="desk-moderation-terms-hint"
            onInput={(event) => setTerms(event.currentTarget.value)}
          />
          <p class="field__hint" id="desk-moderation-terms-hint">
            One word or phrase a line: a response with one is held.
          </p>
        </div>
        <div class="field">
          <label for="desk-moderation-links">Most links in a response</label>
          <input
            id="desk-moderation-links"
            type="number"
            min={0}
            value={maxLinks}
            aria-describedby="desk-moderation-links-hint"
            onInput={(event) => setMaxLinks(event.currentTarget.value)}
          />
          <p class="field__hint" id="desk-moderation-links-hint">
            More links than this holds a response. Empty: no limit.
          </p>
        </div>
        <button type="submit" class="button">
          Save moderation settings
        </button>
      </fieldset>
      <p class="form__error" role="alert">
        {error}
      </p>
    </form>
  );
}
