import { formatDate, plural } from '../shared/format.js';
import type { QueueRow as Row } from './documents.js';
import { heldLabel, statusLabel } from './filters.js';

const EXCERPT = 160;

export function excerpt(body: string | null): string {
  const text = (body ?? '')
    .replace(/[#*_>`[\]]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text.length > EXCERPT ? `${text.slice(0, EXCERPT - 1)}…` : text;
}

/** One response in the queue: what it says, who wrote it where, and where it stands. */
export function QueueRow(props: {
  row: Row;
  current: boolean;
  open: boolean;
  selected: boolean;
  onOpen: () => void;
  onFocus: () => void;
  onSelect: (selected: boolean) => void;
}) {
  const { row } = props;
  const status = row.reviewStatus ?? 'NEW';
  return (
    <li
      class={`queue-row${props.current ? ' queue-row--current' : ''}${props.open ? ' queue-row--open' : ''}${status === 'NEW' ? ' queue-row--new' : ''}`}
      data-id={row.id}
    >
      <input
        type="checkbox"
        class="queue-row__select"
        checked={props.selected}
        aria-label={`Select the response by ${row.author.displayName}`}
        onChange={(event) => props.onSelect(event.currentTarget.checked)}
      />
      <button
        type="button"
        class="queue-row__open"
        id={`row-${row.id}`}
        aria-expanded={props.open}
        aria-controls="desk-detail"
        onClick={props.onOpen}
        onFocus={props.onFocus}
      >
        <span class="queue-row__excerpt">{excerpt(row.body)}</span>
        <span class="queue-row__meta">
          <span class="queue-row__writer">{row.author.displayName}</span>
          <span>
            {row.essay.title} · {row.prompt.text}
          </span>
          <span>
            <time dateTime={row.createdAt}>{formatDate(row.createdAt)}</time>
            {row.parent ? ' · reply' : ''}
            {' · '}
            {plural(row.replyCount, 'reply', 'replies')}
          </span>
        </span>
        <span class="queue-row__badges">
          <span class={`badge badge--status badge--${status.toLowerCase()}`}>
            {statusLabel(status)}
          </span>
          {row.moderationState === 'HELD' && (
            <span class="badge badge--held">{heldLabel(row.heldReason)}</span>
          )}
          {row.moderationState === 'REJECTED' && <span class="badge badge--held">Rejected</span>}
          {(row.reportCount ?? 0) > 0 && (
            <span class="badge badge--reported">
              {plural(row.reportCount ?? 0, 'report', 'reports')}
            </span>
          )}
          {row.visibility === 'PRIVATE' && <span class="badge badge--private">Private</span>}
          {row.interest && <span class="badge badge--interest">Offered to collaborate</span>}
          {(row.labels ?? []).map((label) => (
            <span class="badge badge--label" key={label}>
              {label}
            </span>
          ))}
        </span>
      </button>
    </li>
  );
}
