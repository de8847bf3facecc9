import { useState } from 'preact/hooks';
import { formatDate } from '../shared/format.js';
import { describeError, request } from '../shared/graphql.js';
import {
  deleteMutation,
  editMutation,
  replyMutation,
  repliesQuery,
  type ResponseNode,
  type ThreadNode,
} from './documents.js';
import type { ThreadUpdate } from './Prompt.js';
import { ReplyThread } from './ReplyThread.js';
import { ResponseEditor } from './ResponseEditor.js';
import { announce, focusSoon, viewer } from './state.js';
import { addReply, replaceResponse } from './threads.js';
import type {
  FormSignalsInput,
  DeleteMutation,
  DeleteMutationVariables,
  EditMutation,
  EditMutationVariables,
  RepliesQuery,
  RepliesQueryVariables,
  ReplyMutation,
  ReplyMutationVariables,
} from '../shared/graphql-types.js';

/** One response or reply: who, when, the text, and what the reader may do with it. */
export function ResponseItem(props: {
  response: ResponseNode;
  /** The thread it belongs to (itself for a top-level response). */
  thread: ThreadNode;
  isOpen: boolean;
  onChange: ThreadUpdate;
}) {
  const { response, thread } = props;
  const [mode, setMode] = useState<'read' | 'edit' | 'reply'>('read');
  const [error, setError] = useState('');
  const [expanding, setExpanding] = useState(false);
  const isReply = response.parent !== null;
  const deleted = response.deletedAt !== null || response.bodyHtml === null;
  const mine = viewer.value !== null && viewer.value.id === response.author.id;
  const cardSelector = `#response-${response.id} > article`;

  const edit = async (body: string) => {
    const data = await request<EditMutation, EditMutationVariables>(editMutation, {
      id: response.id,
      body,
    });
    props.onChange((threads) => replaceResponse(threads, data.editResponse));
    setMode('read');
    announce('Your changes are saved.');
    focusSoon(cardSelector);
  };

  const remove = async () => {
    setError('');
    try {
      const data = await request<DeleteMutation, DeleteMutationVariables>(deleteMutation, {
        id: response.id,
      });
      props.onChange((threads) => replaceResponse(threads, data.deleteResponse));
      announce('Deleted.');
      focusSoon(cardSelector);
    } catch (failure) {
      setError(describeError(failure));
    }
  };

  const reply = async (body: string, _isPrivate: boolean, form: FormSignalsInput) => {
    const data = await request<ReplyMutation, ReplyMutationVariables>(replyMutation, {
      responseId: thread.id,
      body,
      form,
    });
    props.onChange((threads) => addReply(threads, data.replyToResponse));
    setMode('read');
    announce(
      data.replyToResponse.moderationState === 'HELD'
        ? 'Your reply awaits review: others see it once the author has.'
        : 'Your reply is posted.',
    );
    focusSoon(`#response-${data.replyToResponse.id} > article`);
  };

  const expand = async () => {
    setExpanding(true);
    setError('');
    try {
      const data = await request<RepliesQuery, RepliesQueryVariables>(repliesQuery, {
        id: thread.id,
      });
      const shown = thread.replies.edges.length;
      props.onChange((threads) =>
        threads.map((item) =>
          item.id === thread.id
            ? {
                ...item,
                replies: data.response.replies,
                replyCount: data.response.replies.edges.length,
              }
            : item,
        ),
      );
      const next = data.response.replies.edges[shown]?.node;
      if (next) focusSoon(`#response-${next.id} > article`);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setExpanding(false);
    }
  };

  return (
    <li
      class={`response${isReply ? ' response--reply' : ''}${deleted ? ' response--deleted' : ''}`}
      id={`response-${response.id}`}
    >
      <article
        class="response__card"
        tabIndex={-1}
        aria-label={`${isReply ? 'Reply' : 'Response'} by ${response.author.displayName}`}
      >
        <header class="response__meta">
          <span class="response__author" id={`response-${response.id}-author`}>
            {response.author.displayName}
          </span>{' '}
          {response.author.role === 'AUTHOR' && <span class="badge badge--author">Author</span>}{' '}
          <time dateTime={response.createdAt}>{formatDate(response.createdAt)}</time>
          {response.editedAt && !deleted && <span class="response__edited">edited</span>}
          {response.visibility === 'PRIVATE' && (
            <span class="badge badge--private">Only the author can see this</span>
          )}
          {response.moderationState === 'HELD' && (
            <span class="badge badge--held">Awaiting review</span>
          )}
          {response.moderationState === 'REJECTED' && (
            <span class="badge badge--held">Not published</span>
          )}
        </header>
        {mode === 'edit' ? (
          <ResponseEditor
            label={isReply ? 'Edit your reply' : 'Edit your response'}
            submitLabel="Save"
            initial={response.body ?? ''}
            autoFocus
            onSubmit={edit}
            onCancel={() => {
              setMode('read');
              focusSoon(cardSelector);
            }}
          />
        ) : deleted ? (
          <div class="response__body response__body--deleted">
            <p>This response was deleted.</p>
          </div>
        ) : (
          // Sanitized by the server when it was written.
          <div
            class="response__body prose"
            dangerouslySetInnerHTML={{ __html: response.bodyHtml ?? '' }}
          />
        )}
        {mode === 'read' && !deleted && (props.isOpen || mine) && (
          <div class="response__actions">
            {!isReply && props.isOpen && (
              <button
                type="button"
                class="button button--quiet"
                aria-describedby={`response-${response.id}-author`}
                onClick={() => setMode('reply')}
              >
                Reply
              </button>
            )}
            {mine && (
              <>
                <button type="button" class="button button--quiet" onClick={() => setMode('edit')}>
                  Edit
                </button>
                <button
                  type="button"
                  class="button button--quiet button--danger"
                  onClick={() => void remove()}
                >
                  Delete
                </button>
              </>
            )}
          </div>
        )}
        <p class="form__error" role="alert">
          {error}
        </p>
        {!isReply && (
          <ReplyThread
            thread={thread}
            isOpen={props.isOpen}
            onChange={props.onChange}
            onExpand={() => void expand()}
            expanding={expanding}
          />
        )}
        {mode === 'reply' && (
          <ResponseEditor
            draftKey={`reply.${response.id}`}
            label="Your reply"
            submitLabel="Post reply"
            autoFocus
            note={
              response.visibility === 'PRIVATE'
                ? 'This thread is private: only the author and its writer can see your reply.'
                : undefined
            }
            onSubmit={reply}
            onCancel={() => {
              setMode('read');
              focusSoon(cardSelector);
            }}
          />
        )}
      </article>
    </li>
  );
}
