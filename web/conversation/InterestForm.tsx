import { useId, useState } from 'preact/hooks';
import { describeError, request } from '../shared/graphql.js';
import { expressInterestMutation } from './documents.js';
import { announce, focusSoon, ownInterest, SIGN_IN_EMAIL_ID, viewer } from './state.js';
import type {
  ExpressInterestMutation,
  ExpressInterestMutationVariables,
} from '../shared/graphql-types.js';

/** The collaborator-interest form; sending again replaces the reader's earlier offer. */
export function InterestForm({ essayId, onDone }: { essayId: string; onDone: () => void }) {
  const earlier = ownInterest.value;
  const [fields, setFields] = useState({
    message: earlier?.message ?? '',
    areas: earlier?.areas.join(', ') ?? '',
    building: earlier?.building ?? '',
    link: earlier?.link ?? '',
    availability: earlier?.availability ?? '',
    contactEmail: earlier?.contactEmail ?? viewer.value?.email ?? '',
  });
  const [consent, setConsent] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const id = useId();

  if (!viewer.value) {
    return (
      <div class="panel">
        <p>Sign in first, so the author knows who is offering.</p>
        <button type="button" class="button" onClick={() => focusSoon(`#${SIGN_IN_EMAIL_ID}`)}>
          Go to sign-in
        </button>
      </div>
    );
  }

  const set = (name: keyof typeof fields) => (event: { currentTarget: { value: string } }) =>
    setFields({ ...fields, [name]: event.currentTarget.value });

  const submit = async (event: Event) => {
    event.preventDefault();
    setError('');
    if (!consent) return setError('Tick the box to let the author contact you.');
    setBusy(true);
    try {
      const areas = fields.areas
        .split(',')
        .map((area) => area.trim())
        .filter(Boolean);
      const data = await request<ExpressInterestMutation, ExpressInterestMutationVariables>(
        expressInterestMutation,
        {
          input: {
            essayId,
            message: fields.message,
            building: fields.building,
            areas,
            link: fields.link.trim() || null,
            availability: fields.availability.trim() || null,
            contactEmail: fields.contactEmail.trim(),
            consentToContact: consent,
          },
        },
      );
      ownInterest.value = data.expressInterest;
      announce('Your offer is sent to the author.');
      onDone();
      focusSoon('#rizom-own-interest');
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const field = (
    name: keyof typeof fields,
    label: string,
    hint?: string,
    long = false,
    type: 'text' | 'url' | 'email' = 'text',
  ) => (
    <div class="field">
      <label for={`${id}-${name}`}>{label}</label>
      {long ? (
        <textarea
          id={`${id}-${name}`}
          rows={4}
          value={fields[name]}
          onInput={set(name)}
          aria-describedby={hint ? `${id}-${name}-hint` : undefined}
          required
        />
      ) : (
        <input
          id={`${id}-${name}`}
          type={type as 'text'} // Preact types each input type apart
          value={fields[name]}
          onInput={set(name)}
          aria-describedby={hint ? `${id}-${name}-hint` : undefined}
          required={name === 'contactEmail'}
        />
      )}
      {hint && (
        <p class="field__hint" id={`${id}-${name}-hint`}>
          {hint}
        </p>
      )}
    </div>
  );

  return (
    <form
      class="panel interest-form"
      onSubmit={(event) => void submit(event)}
      aria-label="Offer to collaborate"
    >
      <p>Only the author sees your offer and how to reach you.</p>
      {field('message', 'Message', 'Why you would like to work together.', true)}
      {field('building', 'What you are building', undefined, true)}
      {field('areas', 'Areas', 'A few words, separated by commas: design, research…')}
      {field(
        'link',
        'Link',
        'Optional: where to see what you are building (an http or https address).',
        false,
        'url',
      )}
      {field('availability', 'Availability', 'Optional: when you are free.')}
      {field('contactEmail', 'Contact email', undefined, false, 'email')}
      <div class="field field--check">
        <input
          type="checkbox"
          id={`${id}-consent`}
          checked={consent}
          onChange={(event) => setConsent(event.currentTarget.checked)}
        />
        <label for={`${id}-consent`}>The author may contact me at this address</label>
      </div>
      <div class="editor__actions">
        <button type="submit" class="button" disabled={busy}>
          {earlier ? 'Update my offer' : 'Send my offer'}
        </button>
      </div>
      <p class="form__error" role="alert">
        {error}
      </p>
    </form>
  );
}
