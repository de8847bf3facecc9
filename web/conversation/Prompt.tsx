import { useEffect, useRef, useState } from 'preact/hooks';
import { plural } from '../shared/format.js';
import { describeError, request } from '../shared/graphql.js';
import { onReconnected, subscribe } from '../shared/live.js';
import {
  moreResponsesQuery,
  respondMutation,
  responseAddedSubscription,
  type PromptNode,
  type ThreadNode,
} from './documents.js';
import { LiveBanner } from './LiveBanner.js';
import { ResponseEditor } from './ResponseEditor.js';
import { ResponseList } from './ResponseList.js';
import { onRemoved } from './removals.js';
import { announce, focusSoon, viewer } from './state.js';
import { addReply, asThread, contains, nodes, removeResponse } from './threads.js';
import type {
  FormSignalsInput,
  MoreResponsesQuery,
  MoreResponsesQueryVariables,
  RespondMutation,
  RespondMutationVariables,
  ResponseAddedSubscription,
  ResponseAddedSubscriptionVariables,
} from '../shared/graphql-types.js';

/** One question of the essay, its editor and its responses (newest first). */
export function Prompt({ prompt, essayId }: { prompt: PromptNode; essayId: string }) {
  const [threads, setThreads] = useState<ThreadNode[]>(() => nodes(prompt.responses));
  const [pageInfo, setPageInfo] = useState(prompt.responses.pageInfo);
  const [count, setCount] = useState(prompt.responseCount);
  const [arrived, setArrived] = useState<ThreadNode[]>([]);
  const [error, setError] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);
  const q = `prompt-${prompt.id}-q`;
  const shown = useRef(threads);
  shown.current = threads;

  // Live: public responses for everyone, and the reader's own private ones (the
  // server decides who receives what). Replies join their thread at once; other
  // readers' new responses wait behind "N new responses — show".
  useEffect(() => {
    if (!prompt.isOpen) return;
    return subscribe<ResponseAddedSubscription, ResponseAddedSubscriptionVariables>(
      responseAddedSubscription,
      { promptId: prompt.id },
      ({ responseAdded }) => {
        const node = asThread(responseAdded);
        if (node.parent) {
          setThreads((current) => addReply(current, responseAdded));
          return;
        }
        if (contains(shown.current, node.id)) return;
        if (node.author.id === viewer.value?.id) {
          setThreads((current) => (contains(current, node.id) ? current : [node, ...current]));
          setCount((n) => n + 1);
          return;
        }
        setArrived((waiting) => (contains(waiting, node.id) ? waiting : [node, ...waiting]));
        announce(`A new response to “${prompt.text}”.`);
      },
    );
  }, [prompt.id, prompt.isOpen]);

  // Live: a response held for review after it went out leaves the page (the
  // server tells everyone but its writer and the author, who still see it).
  useEffect(
    () =>
      onRemoved(essayId, (id) => {
        if (contains(shown.current, id)) setCount((n) => n - 1);
        setThreads((current) => removeResponse(current, id));
        setArrived((waiting) => waiting.filter((thread) => thread.id !== id));
      }),
    [essayId],
  );

  // After a lost connection, the newest page shows what arrived meanwhile.
  useEffect(() => {
    if (!prompt.isOpen) return;
    // The listener catches its own failures; nothing waits for it.
    return onReconnected(() => void refreshAfterReconnect());
    async function refreshAfterReconnect() {
      try {
        const data = await request<MoreResponsesQuery, MoreResponsesQueryVariables>(
          moreResponsesQuery,
          { promptId: prompt.id },
        );
        const missed = nodes(data.prompt.responses).filter(
          (node) => !contains(shown.current, node.id),
        );
        if (missed.length > 0)
          setArrived((waiting) => [
            ...missed.filter((node) => !contains(waiting, node.id)),
            ...waiting,
          ]);
      } catch {
        // The next reconnection tries again.
      }
    }
  }, [prompt.id, prompt.isOpen]);

  const showArrived = () => {
    const fresh = arrived.filter((thread) => !contains(threads, thread.id));
    setThreads([...fresh, ...threads]);
    setCount((n) => n + fresh.length);
    setArrived([]);
    if (fresh[0]) focusSoon(`#response-${fresh[0].id} > article`);
  };

  const loadMore = async () => {
    setLoadingMore(true);
    setError('');
    try {
      const data = await request<MoreResponsesQuery, MoreResponsesQueryVariables>(
        moreResponsesQuery,
        {
          promptId: prompt.id,
          after: pageInfo.endCursor,
        },
      );
      const more = nodes(data.prompt.responses).filter((node) => !contains(threads, node.id));
      setThreads([...threads, ...more]);
      setPageInfo(data.prompt.responses.pageInfo);
      if (more[0]) focusSoon(`#response-${more[0].id} > article`);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setLoadingMore(false);
    }
  };

  const respond = async (body: string, isPrivate: boolean, form: FormSignalsInput) => {
    const data = await request<RespondMutation, RespondMutationVariables>(respondMutation, {
      input: { promptId: prompt.id, body, visibility: isPrivate ? 'PRIVATE' : 'PUBLIC', form },
    });
    const held = data.respond.moderationState === 'HELD';
    const node = data.respond;
    // The live event may have brought it first (and counted it).
    if (!contains(shown.current, node.id)) {
      setThreads((current) => (contains(current, node.id) ? current : [node, ...current]));
      // A held response counts once it is out.
      if (!held) setCount((n) => n + 1);
    }
    setArrived((waiting) => waiting.filter((thread) => thread.id !== node.id));
    announce(
      held
        ? 'Your response awaits review: it appears here for others once the author has seen it.'
        : isPrivate
          ? 'Your response is posted. Only the author can see it.'
          : 'Your response is posted.',
    );
    focusSoon(`#response-${node.id} > article`);
  };

  return (
    <section class="prompt" id={`prompt-${prompt.id}`} aria-labelledby={q}>
      <h2 class="prompt__question" id={q}>
        {prompt.text}
      </h2>
      <p class="prompt__meta">
        {plural(count, 'response')}
        {prompt.isOpen ? '' : ' · Closed'}
      </p>
      {prompt.isOpen ? (
        <ResponseEditor
          draftKey={`prompt.${prompt.id}`}
          label="Your response"
          submitLabel="Post"
          allowPrivate
          onSubmit={respond}
        />
      ) : (
        <p class="notice">This prompt is closed: its responses stay here to read.</p>
      )}
      <LiveBanner count={arrived.length} onShow={showArrived} />
      {threads.length === 0 ? (
        <p class="responses__empty">
          {prompt.isOpen ? 'No responses yet. Be the first to answer.' : 'No responses.'}
        </p>
      ) : (
        <ResponseList threads={threads} isOpen={prompt.isOpen} onChange={setThreads} />
      )}
      {pageInfo.hasNextPage && (
        <p class="prompt__more">
          <button
            type="button"
            class="button button--quiet"
            onClick={() => void loadMore()}
            disabled={loadingMore}
          >
            {loadingMore ? 'Loading…' : 'Load more responses'}
          </button>
        </p>
      )}
      <p class="form__error" role="alert">
        {error}
      </p>
    </section>
  );
}

export type ThreadUpdate = (change: (threads: ThreadNode[]) => ThreadNode[]) => void;
