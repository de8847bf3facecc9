import { subscribe } from '../shared/live.js';
import { responseRemovedSubscription } from './documents.js';
import type {
  ResponseRemovedSubscription,
  ResponseRemovedSubscriptionVariables,
} from '../shared/graphql-types.js';

// Responses held for review after they went out: one subscription per essay
// (the API lets a connection run one per open prompt and this one), shared by
// its prompts.

const listeners = new Set<(id: string) => void>();
let stop: (() => void) | null = null;

/** Calls `listener` with each response to take out; returns the function that stops it. */
export function onRemoved(essayId: string, listener: (id: string) => void): () => void {
  listeners.add(listener);
  stop ??= subscribe<ResponseRemovedSubscription, ResponseRemovedSubscriptionVariables>(
    responseRemovedSubscription,
    { essayId },
    ({ responseRemoved }) => listeners.forEach((each) => each(responseRemoved)),
  );
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    stop?.();
    stop = null;
  };
}
