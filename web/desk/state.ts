import { signal } from '@preact/signals';
import { request } from '../shared/graphql.js';
import type {
  DeskCountsFragment,
  DeskQueueQuery,
  DeskQueueQueryVariables,
  DeskReviewManyMutation,
  DeskReviewManyMutationVariables,
  DeskReviewMutation,
  DeskReviewMutationVariables,
  ReviewStatus,
} from '../shared/graphql-types.js';
import {
  deskQueueQuery,
  deskReviewManyMutation,
  deskReviewMutation,
  type QueueEssay,
  type QueueRow,
} from './documents.js';
import { apiFilter, filtersUrl, readFilters, statusLabel, type QueueFilters } from './filters.js';

export const filters = signal<QueueFilters>(readFilters());
export const rows = signal<QueueRow[]>([]);
export const essays = signal<QueueEssay[]>([]);
export const loading = signal(true);
export const loadError = signal('');
/** The row the keyboard is on (j/k). */
export const currentId = signal<string | null>(null);
/** The response shown beside the queue. */
export const openId = signal<string | null>(null);
export const selected = signal<ReadonlySet<string>>(new Set());
/** The last status change, undoable for a few seconds. */
export const undo = signal<{ text: string; previous: Map<string, ReviewStatus> } | null>(null);
export const helpOpen = signal(false);
/** Where the next page of the queue starts; null when every row is shown. */
export const nextCursor = signal<string | null>(null);
/** How many responses each saved view holds; kept live by the desk's subscription. */
export const counts = signal<DeskCountsFragment | null>(null);

const UNDO_MS = 10_000;
let undoTimer: ReturnType<typeof setTimeout> | undefined;

const queuePage = (after?: string) =>
  request<DeskQueueQuery, DeskQueueQueryVariables>(deskQueueQuery, {
    filter: apiFilter(filters.value),
    after,
  });
const cursorOf = ({ reviewQueue: { pageInfo } }: DeskQueueQuery) =>
  pageInfo.hasNextPage ? (pageInfo.endCursor ?? null) : null;

/**
 * Loads the view again from the top, at least `keep` rows deep: what "Load
 * more" had shown stays shown (and focused) after an action or "N new — show".
 */
export async function loadQueue(keep = rows.value.length): Promise<void> {
  loading.value = true;
  try {
    const data = await queuePage();
    let list = data.reviewQueue.edges.map((edge) => edge.node);
    let cursor = cursorOf(data);
    while (cursor && list.length < keep) {
      const more = await queuePage(cursor);
      const known = new Set(list.map((row) => row.id));
      list = [
        ...list,
        ...more.reviewQueue.edges.map((e) => e.node).filter((r) => !known.has(r.id)),
      ];
      cursor = cursorOf(more);
    }
    rows.value = list;
    nextCursor.value = cursor;
    counts.value = data.reviewQueueCounts;
    essays.value = data.essays.edges.map((edge) => edge.node);
    loadError.value = '';
    const ids = new Set(list.map((row) => row.id));
    selected.value = new Set([...selected.value].filter((id) => ids.has(id)));
    if (!currentId.value || !ids.has(currentId.value)) currentId.value = list[0]?.id ?? null;
  } finally {
    loading.value = false;
  }
}

/** Appends the next page of the queue; returns the first row it added. */
export async function loadMore(): Promise<string | null> {
  const after = nextCursor.value;
  if (!after) return null;
  const data = await queuePage(after);
  const known = new Set(rows.value.map((row) => row.id));
  const added = data.reviewQueue.edges.map((edge) => edge.node).filter((row) => !known.has(row.id));
  rows.value = [...rows.value, ...added];
  nextCursor.value = cursorOf(data);
  counts.value = data.reviewQueueCounts;
  return added[0]?.id ?? null;
}

/** Shows another view: the address bar follows, so Back and bookmarks work. */
export function setFilters(next: QueueFilters): void {
  filters.value = next;
  history.pushState(null, '', filtersUrl(next));
  void loadQueue(0);
}

addEventListener('popstate', () => {
  filters.value = readFilters();
  void loadQueue(0);
});

/** Sets `status` on the responses, then offers to undo it. */
export async function setStatus(ids: string[], status: ReviewStatus): Promise<string> {
  const previous = new Map(
    rows.value
      .filter((row) => ids.includes(row.id) && row.reviewStatus)
      .map((row) => [row.id, row.reviewStatus as ReviewStatus]),
  );
  await request<DeskReviewManyMutation, DeskReviewManyMutationVariables>(deskReviewManyMutation, {
    ids,
    status,
  });
  const text = `${statusLabel(status)}: ${ids.length === 1 ? '1 response' : `${ids.length} responses`}.`;
  offerUndo(text, previous);
  await loadQueue();
  return text;
}

function offerUndo(text: string, previous: Map<string, ReviewStatus>): void {
  clearTimeout(undoTimer);
  undo.value = { text, previous };
  undoTimer = setTimeout(() => (undo.value = null), UNDO_MS);
}

/** Puts every response of the last change back to the status it had. */
export async function undoLast(): Promise<void> {
  const last = undo.value;
  if (!last) return;
  clearTimeout(undoTimer);
  undo.value = null;
  const byStatus = new Map<ReviewStatus, string[]>();
  for (const [id, status] of last.previous)
    byStatus.set(status, [...(byStatus.get(status) ?? []), id]);
  for (const [status, ids] of byStatus) {
    await request<DeskReviewManyMutation, DeskReviewManyMutationVariables>(deskReviewManyMutation, {
      ids,
      status,
    });
  }
  await loadQueue();
}

/** Adds `label` to each response (labels are set per response: one request each). */
export async function addLabel(ids: string[], label: string): Promise<void> {
  for (const id of ids) {
    const labels = rows.value.find((row) => row.id === id)?.labels ?? [];
    await request<DeskReviewMutation, DeskReviewMutationVariables>(deskReviewMutation, {
      input: { id, labels: [...labels, label] },
    });
  }
  await loadQueue();
}
