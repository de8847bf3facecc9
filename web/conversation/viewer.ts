import { onSessionLost, request } from '../shared/graphql.js';
import { session } from '../shared/storage.js';
import { restartLive } from '../shared/live.js';
import {
  displayNameChosenQuery,
  signOutMutation,
  type ConversationData,
  type DisplayNameChosenData,
} from './documents.js';
import { askDisplayName, ownInterest, viewer } from './state.js';

/** Takes the reader (and their offer on this essay) from the conversation's answer. */
export function loadViewer(data: ConversationData): void {
  const me = data.me;
  viewer.value = me
    ? { id: me.id, email: me.email, displayName: me.displayName, role: me.role }
    : null;
  ownInterest.value =
    me?.interests.edges.find((edge) => edge.node.essay.id === data.essay.id)?.node ?? null;
  askDisplayName.value = false;
  if (me && me.role === 'READER') {
    request<DisplayNameChosenData>(displayNameChosenQuery).then(
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
    await request(signOutMutation);
  } catch {
    // The token goes from this browser either way.
  }
  session.clear();
  viewer.value = null;
  ownInterest.value = null;
  askDisplayName.value = false;
  restartLive();
}
