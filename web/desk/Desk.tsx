import { useEffect, useState } from 'preact/hooks';
import { SignInForm } from '../conversation/SignInForm.js';
import { StatusRegion } from '../conversation/StatusRegion.js';
import { announce } from '../conversation/state.js';
import { signOut } from '../conversation/viewer.js';
import { describeError, onSessionLost, request } from '../shared/graphql.js';
import { session } from '../shared/storage.js';
import type { DeskMeQuery } from '../shared/graphql-types.js';
import { deskMeQuery } from './documents.js';
import { DeskShell } from './DeskShell.js';

type Me = NonNullable<DeskMeQuery['me']>;

/**
 * The download session: the server copies the author's Bearer session into an
 * HttpOnly cookie that only GET downloads read (CSV, "Download your data"),
 * so they are plain links; sign-out removes it.
 */
const downloadSession = (open: boolean) =>
  fetch(
    '/desk/session',
    open
      ? { method: 'POST', headers: { authorization: `Bearer ${session.token() ?? ''}` } }
      : { method: 'DELETE' },
  ).catch(() => undefined);

/** Who is here decides what the desk shows: the sign-in form, a refusal, or the queue. */
export function Desk() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [error, setError] = useState('');

  const load = async () => {
    // No session kept: the sign-in form at once, without asking the API who is here.
    if (!session.token()) {
      setMe(null);
      setError('');
      return;
    }
    try {
      const data = await request<DeskMeQuery>(deskMeQuery);
      if (data.me?.role === 'AUTHOR') void downloadSession(true);
      setMe(data.me);
      setError('');
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  useEffect(() => {
    onSessionLost.handler = () => {
      void downloadSession(false);
      setMe(null);
    };
    void load();
  }, []);

  let content;
  if (error) {
    content = (
      <p class="notice notice--danger" role="alert">
        The desk could not load: {error}
      </p>
    );
  } else if (me === undefined) {
    content = <p class="desk__loading">Loading the desk…</p>;
  } else if (me === null) {
    content = (
      <>
        <h1>Desk</h1>
        <SignInForm
          returnTo="/desk"
          title="The author's desk. Sign in with your email: we send you a code, no password."
          onSignedIn={load}
        />
      </>
    );
  } else if (me.role !== 'AUTHOR') {
    content = (
      <>
        <h1>This is the author's desk</h1>
        <p>
          You are signed in as <strong>{me.displayName}</strong>, a reader. Only the author can use
          the desk.
        </p>
        <p>
          <a href="/">Read the essays</a>
        </p>
        <SignOutButton onDone={load} />
      </>
    );
  } else {
    content = <DeskShell me={me} signOut={<SignOutButton onDone={load} />} onRenamed={load} />;
  }
  return (
    <>
      <StatusRegion />
      {content}
    </>
  );
}

function SignOutButton({ onDone }: { onDone: () => Promise<void> }) {
  return (
    <button
      type="button"
      class="button button--quiet"
      onClick={() =>
        void (async () => {
          await downloadSession(false);
          await signOut();
          announce('You are signed out.');
          await onDone();
        })()
      }
    >
      Sign out
    </button>
  );
}
