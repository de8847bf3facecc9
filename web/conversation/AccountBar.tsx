import { SignInForm } from './SignInForm.js';
import { announce, viewer } from './state.js';
import { signOut } from './viewer.js';

/** Who is signed in, with "Sign out"; or the sign-in form. */
export function AccountBar({
  returnTo,
  onChange,
}: {
  returnTo: string;
  onChange: () => Promise<void>;
}) {
  const me = viewer.value;
  if (!me) return <SignInForm returnTo={returnTo} onSignedIn={onChange} />;
  return (
    <div class="account" id="rizom-account" tabIndex={-1}>
      <p class="account__who">
        Signed in as <strong>{me.displayName}</strong>
      </p>
      <button
        type="button"
        class="button button--quiet"
        onClick={() =>
          void signOut().then(async () => {
            announce('You are signed out.');
            await onChange();
          })
        }
      >
        Sign out
      </button>
    </div>
  );
}
