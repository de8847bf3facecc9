import { useId, useRef, useState } from 'preact/hooks';
import { describeError, request } from '../shared/graphql.js';
import { restartLive } from '../shared/live.js';
import { session } from '../shared/storage.js';
import { requestSignInMutation, signInWithCodeMutation } from './documents.js';
import { announce, focusSoon, SIGN_IN_EMAIL_ID, viewer } from './state.js';
import type {
  RequestSignInMutation,
  RequestSignInMutationVariables,
  SignInWithCodeMutation,
  SignInWithCodeMutationVariables,
} from '../shared/graphql-types.js';

/**
 * Sign-in by emailed code, typed here: inside an embed, the session must be
 * created by a request from the frame itself (a link opened in another tab signs
 * in the hosted page, not this frame, because browsers partition its storage).
 */
export function SignInForm(props: {
  /** Where the emailed link (which signs in the hosted page) brings the reader back to. */
  returnTo: string;
  onSignedIn: () => Promise<void>;
  /** What signing in is for; the conversation's own words when left out. */
  title?: string;
}) {
  const [email, setEmail] = useState('');
  const [code, setCode] = useState('');
  const [step, setStep] = useState<'email' | 'code'>('email');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const id = useId();

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError('');
    try {
      await work();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const sendCode = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      await request<RequestSignInMutation, RequestSignInMutationVariables>(requestSignInMutation, {
        email: email.trim(),
        returnTo: props.returnTo,
      });
      setStep('code');
      announce(`We sent a 6-digit code to ${email.trim()}.`);
      setTimeout(() => codeRef.current?.focus(), 0);
    });
  };

  const signIn = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const data = await request<SignInWithCodeMutation, SignInWithCodeMutationVariables>(
        signInWithCodeMutation,
        {
          email: email.trim(),
          code: code.replace(/\s/g, ''),
        },
      );
      session.save(data.signInWithCode.token);
      viewer.value = data.signInWithCode.user;
      restartLive();
      await props.onSignedIn();
      announce(`Signed in as ${data.signInWithCode.user.displayName}.`);
      // Back to what the reader was writing, if anything; else to who is signed in.
      const hadDraft = [...document.querySelectorAll('.editor textarea')].some((area) =>
        (area as HTMLTextAreaElement).value.trim(),
      );
      focusSoon(() =>
        hadDraft
          ? [...document.querySelectorAll<HTMLTextAreaElement>('.editor textarea')].find((area) =>
              area.value.trim(),
            )
          : document.getElementById('rizom-account'),
      );
    });
  };

  return (
    <div class="account account--signed-out">
      {step === 'email' ? (
        <form class="sign-in" onSubmit={sendCode}>
          <p class="sign-in__title" id={`${id}-title`}>
            {props.title ??
              'Sign in to respond, reply or offer to collaborate. We email you a code: no password.'}
          </p>
          <div class="field field--inline">
            <label for={SIGN_IN_EMAIL_ID}>Email</label>
            <input
              id={SIGN_IN_EMAIL_ID}
              type="email"
              autocomplete="email"
              required
              value={email}
              onInput={(event) => setEmail(event.currentTarget.value)}
            />
            <button type="submit" class="button" disabled={busy}>
              Email me a code
            </button>
          </div>
        </form>
      ) : (
        <form class="sign-in" onSubmit={signIn}>
          <p class="sign-in__title" id={`${id}-sent`}>
            We sent a 6-digit code to <strong>{email.trim()}</strong>. It works for 15 minutes.
          </p>
          <div class="field field--inline">
            <label for={`${id}-code`}>Code</label>
            <input
              id={`${id}-code`}
              ref={codeRef}
              type="text"
              inputMode="numeric"
              autocomplete="one-time-code"
              pattern="\s*[0-9]{6}\s*"
              maxLength={8}
              required
              value={code}
              onInput={(event) => setCode(event.currentTarget.value)}
            />
            <button type="submit" class="button" disabled={busy}>
              Sign in
            </button>
            <button
              type="button"
              class="button button--quiet"
              onClick={() => {
                setStep('email');
                setCode('');
                setError('');
                focusSoon(`#${SIGN_IN_EMAIL_ID}`);
              }}
            >
              Use another email
            </button>
          </div>
        </form>
      )}
      <p class="form__error" role="alert">
        {error}
      </p>
    </div>
  );
}
