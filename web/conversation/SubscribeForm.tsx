import { useId, useState } from 'preact/hooks';
import { describeError, request } from '../shared/graphql.js';
import { subscribeMutation } from './documents.js';
import { focusSoon, viewer } from './state.js';
import type {
  DigestFrequency,
  DigestScope,
  SubscribeMutation,
  SubscribeMutationVariables,
  Weekday,
} from '../shared/graphql-types.js';

const WEEKDAYS: readonly Weekday[] = [
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
  'SUNDAY',
];
const isWeekday = (value: string): value is Weekday => WEEKDAYS.some((day) => day === value);
const title = (day: string) => day[0] + day.slice(1).toLowerCase();

const browserTimeZone = (): string => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
};

/** The digest subscription (double opt-in): it ends in "check your inbox". */
export function SubscribeForm({ essayId }: { essayId: string }) {
  const [email, setEmail] = useState(viewer.value?.email ?? '');
  const [scope, setScope] = useState<DigestScope>('ESSAY');
  const [frequency, setFrequency] = useState<DigestFrequency>('WEEKLY');
  const [hour, setHour] = useState(8);
  const [weekday, setWeekday] = useState<Weekday>('MONDAY');
  const [timezone, setTimezone] = useState(browserTimeZone);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();

  if (sent) {
    return (
      <div class="panel" id={`${id}-sent`} tabIndex={-1}>
        <p class="notice notice--success">
          Check your inbox: we sent a link to {email.trim()}. Your digest starts once you confirm.
        </p>
      </div>
    );
  }

  const submit = async (event: Event) => {
    event.preventDefault();
    setError('');
    setBusy(true);
    try {
      await request<SubscribeMutation, SubscribeMutationVariables>(subscribeMutation, {
        input: {
          email: email.trim(),
          scope,
          essayId: scope === 'ESSAY' ? essayId : null,
          frequency,
          sendHour: hour,
          weekday,
          timezone: timezone.trim(),
        },
      });
      setSent(true);
      focusSoon(`[id="${id}-sent"]`);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const radio = <T extends string>(
    name: string,
    value: T,
    current: T,
    set: (v: T) => void,
    label: string,
  ) => (
    <div class="field--check">
      <input
        type="radio"
        id={`${id}-${name}-${value}`}
        name={`${id}-${name}`}
        checked={current === value}
        onChange={() => set(value)}
      />
      <label for={`${id}-${name}-${value}`}>{label}</label>
    </div>
  );

  return (
    <form
      class="panel subscribe-form"
      onSubmit={(event) => void submit(event)}
      aria-label="Get the digest"
    >
      <div class="field">
        <label for={`${id}-email`}>Email address</label>
        <input
          id={`${id}-email`}
          type="email"
          autocomplete="email"
          required
          value={email}
          onInput={(event) => setEmail(event.currentTarget.value)}
        />
      </div>
      <fieldset class="field">
        <legend>What</legend>
        {radio('scope', 'ESSAY', scope, setScope, 'New responses to this essay')}
        {radio('scope', 'ALL_ESSAYS', scope, setScope, 'New essays and their conversations')}
      </fieldset>
      <fieldset class="field">
        <legend>How often</legend>
        {radio('frequency', 'DAILY', frequency, setFrequency, 'Daily')}
        {radio('frequency', 'WEEKLY', frequency, setFrequency, 'Weekly')}
      </fieldset>
      {frequency === 'WEEKLY' && (
        <div class="field">
          <label for={`${id}-weekday`}>Day</label>
          <select
            id={`${id}-weekday`}
            value={weekday}
            onChange={(event) => {
              const day = event.currentTarget.value;
              if (isWeekday(day)) setWeekday(day);
            }}
          >
            {WEEKDAYS.map((day) => (
              <option value={day}>{title(day)}</option>
            ))}
          </select>
        </div>
      )}
      <div class="field">
        <label for={`${id}-hour`}>Hour</label>
        <select
          id={`${id}-hour`}
          value={String(hour)}
          onChange={(event) => setHour(Number(event.currentTarget.value))}
        >
          {Array.from({ length: 24 }, (_, h) => (
            <option value={String(h)}>{`${String(h).padStart(2, '0')}:00`}</option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${id}-timezone`}>Time zone</label>
        <input
          id={`${id}-timezone`}
          value={timezone}
          aria-describedby={`${id}-timezone-hint`}
          onInput={(event) => setTimezone(event.currentTarget.value)}
        />
        <p class="field__hint" id={`${id}-timezone-hint`}>
          Taken from your browser; an IANA name such as Europe/Berlin.
        </p>
      </div>
      <div class="editor__actions">
        <button type="submit" class="button" disabled={busy}>
          Subscribe
        </button>
      </div>
      <p class="form__error" role="alert">
        {error}
      </p>
    </form>
  );
}
