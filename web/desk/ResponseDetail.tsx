import { useEffect, useState } from 'preact/hooks';
import { announce } from '../conversation/state.js';
import { formatDate } from '../shared/format.js';
import { describeError, request } from '../shared/graphql.js';
import type {
  DeskDetailQuery,
  DeskDetailQueryVariables,
  DeskReplyMutation,
  DeskReplyMutationVariables,
  DeskReviewMutation,
  DeskReviewMutationVariables,
  DeskWriterQuery,
  DeskWriterQueryVariables,
  ReviewStatus,
} from '../shared/graphql-types.js';
import {
  deskDetailQuery,
  deskReplyMutation,
  deskReviewMutation,
  deskWriterQuery,
  type ResponseDetail as Detail,
} from './documents.js';
import { EMPTY_FILTERS, statusLabel } from './filters.js';
import { ModerationTools } from './Moderation.js';
import { NoteEditor } from './NoteEditor.js';
import { excerpt } from './QueueRow.js';
import { loadQueue, rows, setFilters } from './state.js';

export const STATUS_ACTIONS: { status: ReviewStatus; label: string; key: string }[] = [
  { status: 'READ', label: 'Mark read', key: 'r' },
  { status: 'SHORTLISTED', label: 'Shortlist', key: 's' },
  { status: 'ARCHIVED', label: 'Archive', key: 'a' },
  { status: 'SPAM', label: 'Spam', key: 'x' },
];

/** One response opened: its thread in context, history, the writer's offer, and the author's tools. */
export function ResponseDetail(props: {
  id: string;
  onClose: () => void;
  onStatus: (status: ReviewStatus) => void;
  onOpen: (id: string) => void;
}) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState('');
  const load = async () => {
    try {
      const data = await request<DeskDetailQuery, DeskDetailQueryVariables>(deskDetailQuery, {
        id: props.id,
      });
      setDetail(data.response);
      setError('');
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  useEffect(() => {
    setDetail(null);
    void load();
  }, [props.id]);
  // A status set from the queue (keys, bulk) shows here too.
  const row = rows.value.find((candidate) => candidate.id === props.id);
  const status = row?.reviewStatus ?? detail?.reviewStatus ?? 'NEW';

  return (
    <section class="desk-detail" id="desk-detail" aria-labelledby="desk-detail-title">
      <div class="desk-detail__bar">
        <h2 id="desk-detail-title" tabIndex={-1}>
          {detail ? `Response by ${detail.author.displayName}` : 'Response'}
        </h2>
        <button type="button" class="button button--quiet" onClick={props.onClose}>
          Close
        </button>
      </div>
      {error && (
        <p class="notice notice--danger" role="alert">
          {error}
        </p>
      )}
      {!detail && !error && <p>Loading…</p>}
      {detail && (
        <>
          <p class="desk-detail__where">
            {detail.essay.title} · <em>{detail.prompt.text}</em>
          </p>
          {detail.parent && (
            <article class="desk-detail__context" aria-label="The response it replies to">
              <p class="response__meta">
                In reply to <strong>{detail.parent.author.displayName}</strong> ·{' '}
                <time dateTime={detail.parent.createdAt}>
                  {formatDate(detail.parent.createdAt)}
                </time>
              </p>
              <div
                class="prose"
                dangerouslySetInnerHTML={{ __html: detail.parent.bodyHtml ?? '' }}
              />
            </article>
          )}
          <article class="desk-detail__response">
            <p class="response__meta">
              <strong>{detail.author.displayName}</strong> ·{' '}
              <time dateTime={detail.createdAt}>{formatDate(detail.createdAt)}</time>
              {detail.editedAt ? ' · edited' : ''} ·{' '}
              {detail.visibility === 'PRIVATE' ? (
                <span class="badge badge--private">Private: only you and the writer</span>
              ) : (
                'Public'
              )}{' '}
              · Status: <strong>{statusLabel(status)}</strong>
            </p>
            <div class="prose" dangerouslySetInnerHTML={{ __html: detail.bodyHtml ?? '' }} />
          </article>
          <div class="desk-detail__actions" role="group" aria-label="Status">
            {STATUS_ACTIONS.map((action) => (
              <button
                type="button"
                class="button button--secondary"
                key={action.status}
                aria-pressed={status === action.status}
                aria-keyshortcuts={action.key}
                onClick={() => props.onStatus(action.status)}
              >
                {action.label}
              </button>
            ))}
          </div>
          <ReviewFields detail={detail} onSaved={load} />
          <ModerationTools detail={detail} onChanged={load} />
          <Thread detail={detail} />
          <ReplyForm id={detail.id} writer={detail.author.displayName} onSent={load} />
          {detail.edits && detail.edits.length > 0 && (
            <details class="desk-detail__history">
              <summary>Edit history ({detail.edits.length})</summary>
              <ol>
                {detail.edits.map((edit) => (
                  <li key={edit.replacedAt}>
                    <p class="response__meta">
                      Replaced <time dateTime={edit.replacedAt}>{formatDate(edit.replacedAt)}</time>
                    </p>
                    <pre class="desk-detail__old">{edit.body}</pre>
                  </li>
                ))}
              </ol>
            </details>
          )}
          {detail.interest && <InterestCard interest={detail.interest} />}
          <WriterHistory detail={detail} onOpen={props.onOpen} />
        </>
      )}
    </section>
  );
}

function Thread({ detail }: { detail: Detail }) {
  const replies = detail.replies.edges.map((edge) => edge.node);
  if (replies.length === 0) return <p class="desk-detail__none">No replies yet.</p>;
  return (
    <section aria-label="Replies">
      <h3>Replies</h3>
      <ol class="replies">
        {replies.map((reply) => (
          <li class="response response--reply" key={reply.id}>
            <article class="response__card">
              <p class="response__meta">
                <span class="response__author">{reply.author.displayName}</span>
                {reply.author.role === 'AUTHOR' && (
                  <span class="badge badge--author">Author</span>
                )}{' '}
                <time dateTime={reply.createdAt}>{formatDate(reply.createdAt)}</time>
              </p>
              <div class="prose" dangerouslySetInnerHTML={{ __html: reply.bodyHtml ?? '' }} />
            </article>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The labels and the private note, saved with one button each. */
function ReviewFields({ detail, onSaved }: { detail: Detail; onSaved: () => Promise<void> }) {
  const [labels, setLabels] = useState((detail.labels ?? []).join(', '));
  const [error, setError] = useState('');
  useEffect(() => setLabels((detail.labels ?? []).join(', ')), [detail.id]);
  const save = async (input: { note?: string; labels?: string[] }, done: string) => {
    try {
      await request<DeskReviewMutation, DeskReviewMutationVariables>(deskReviewMutation, {
        input: { id: detail.id, ...input },
      });
      setError('');
      announce(done);
      await Promise.all([onSaved(), loadQueue()]);
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  return (
    <div class="desk-detail__review">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const list = labels
            .split(',')
            .map((label) => label.trim())
            .filter(Boolean);
          void save({ labels: list }, 'Labels saved.');
        }}
      >
        <div class="field">
          <label for="desk-labels">Labels</label>
          <input
            id="desk-labels"
            type="text"
            value={labels}
            aria-describedby="desk-labels-hint"
            onInput={(event) => setLabels(event.currentTarget.value)}
          />
          <p class="field__hint" id="desk-labels-hint">
            Separate labels with commas.
          </p>
        </div>
        <button type="submit" class="button button--secondary">
          Save labels
        </button>
      </form>
      <NoteEditor
        key={detail.id}
        id="desk-note"
        note={detail.reviewNote}
        onSave={(note) => void save({ note }, 'Note saved.')}
      />
      <p class="form__error" role="alert">
        {error}
      </p>
    </div>
  );
}

function ReplyForm(props: { id: string; writer: string; onSent: () => Promise<void> }) {
  const [body, setBody] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => setBody(''), [props.id]);
  return (
    <form
      class="desk-detail__reply"
      onSubmit={(event) =>
        void (async () => {
          event.preventDefault();
          setBusy(true);
          try {
            await request<DeskReplyMutation, DeskReplyMutationVariables>(deskReplyMutation, {
              responseId: props.id,
              body,
            });
            setBody('');
            setError('');
            announce(`Reply sent. ${props.writer} gets an email about it.`);
            await props.onSent();
          } catch (failure) {
            setError(describeError(failure));
          } finally {
            setBusy(false);
          }
        })()
      }
    >
      <div class="field">
        <label for="desk-reply">Reply as the author</label>
        <textarea
          id="desk-reply"
          rows={4}
          required
          value={body}
          onInput={(event) => setBody(event.currentTarget.value)}
        />
      </div>
      <button type="submit" class="button" disabled={busy}>
        Send reply
      </button>
      <p class="form__error" role="alert">
        {error}
      </p>
    </form>
  );
}

function InterestCard({ interest }: { interest: NonNullable<Detail['interest']> }) {
  return (
    <section class="desk-detail__interest" aria-labelledby="desk-interest-title">
      <h3 id="desk-interest-title">Offered to collaborate</h3>
      <p>{interest.message}</p>
      <dl>
        <dt>Building</dt>
        <dd>{interest.building}</dd>
        {interest.areas.length > 0 && (
          <>
            <dt>Areas</dt>
            <dd>{interest.areas.join(', ')}</dd>
          </>
        )}
        {interest.link && (
          <>
            <dt>Link</dt>
            <dd>
              <a href={interest.link} rel="noopener noreferrer nofollow" target="_blank">
                {interest.link}
              </a>
            </dd>
          </>
        )}
        {interest.availability && (
          <>
            <dt>Availability</dt>
            <dd>{interest.availability}</dd>
          </>
        )}
        <dt>Contact</dt>
        <dd>
          <a href={`mailto:${interest.contactEmail}`}>{interest.contactEmail}</a>
          {interest.consentToContact ? ' (agreed to be contacted)' : ''}
        </dd>
      </dl>
    </section>
  );
}

/** The writer's other responses, newest first: who they are, across essays. */
function WriterHistory({ detail, onOpen }: { detail: Detail; onOpen: (id: string) => void }) {
  const [others, setOthers] = useState<DeskWriterQuery['reviewQueue']['edges'] | null>(null);
  useEffect(() => {
    setOthers(null);
    request<DeskWriterQuery, DeskWriterQueryVariables>(deskWriterQuery, {
      writerId: detail.author.id,
    }).then(
      (data) => setOthers(data.reviewQueue.edges.filter((edge) => edge.node.id !== detail.id)),
      () => setOthers([]),
    );
  }, [detail.id]);
  if (!others) return null;
  return (
    <section class="desk-detail__history" aria-labelledby="desk-writer-title">
      <h3 id="desk-writer-title">Other responses by {detail.author.displayName}</h3>
      {others.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <ul class="desk-writer">
          {others.map(({ node }) => (
            <li key={node.id}>
              <button type="button" class="button button--quiet" onClick={() => onOpen(node.id)}>
                {excerpt(node.body)}
              </button>{' '}
              <span class="queue-row__meta">
                {node.essay.title} · {formatDate(node.createdAt)} · {statusLabel(node.reviewStatus)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <button
        type="button"
        class="button button--quiet"
        onClick={() => setFilters({ ...EMPTY_FILTERS, writer: detail.author.id })}
      >
        Show all their responses in the queue
      </button>
    </section>
  );
}
