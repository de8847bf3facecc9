import { onSessionLost, request } from '../shared/graphql.js';
import { session } from '../shared/storage.js';
import { restartLive } from '../shared/live.js';
import { displayNameChosenQuery, signOutMutation } from './documents.js';
import { askDisplayName, ownInterest, viewer } from './state.js';
import type {
  ConversationQuery,
  DisplayNameChosenQuery,
  SignOutMutation,
} from '../shared/graphql-types.js';

/** Takes the reader (and their offer on this essay) from the conversation's answer. */
export function loadViewer(data: ConversationQuery): void {
  const me = data.me;
  viewer.value = me
    ? { id: me.id, email: me.email, displayName: me.displayName, role: me.role }
    : null;
  ownInterest.value =
    me?.interests.edges.find((edge) => edge.node.essay.id === data.essay.id)?.node ?? null;
  askDisplayName.value = false;
  if (me && me.role === 'READER') {
    request<DisplayNameChosenQuery>(displayNameChosenQuery).then(
      (answer) => (askDisplayName.value = answer.me?.displayNameChosen === false),
      () => undefined, // an API without the question: do not ask
    );
  }
}

onSessionLost.handler = () => {
  viewer.value = null;
  ownInterest.value = null;
  askDisplayName.value = false;
  restartLive();
};

export async function signOut(): Promise<void> {
  try {
    await request<SignOutMutation>(signOutMutation);
  } catch {
    // The token goes from this browser either way.
  }
  session.clear();
  viewer.value = null;
  ownInterest.value = null;
  askDisplayName.value = false;
  restartLive();
}
