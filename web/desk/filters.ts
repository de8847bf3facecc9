import type {
  DeskCountsFragment,
  HeldReason,
  ModerationState,
  ReviewQueueFilter,
  ReviewStatus,
} from '../shared/graphql-types.js';

/** What the queue shows, as it sits in the address bar (so a view can be bookmarked). */
export interface QueueFilters {
  essay: string;
  prompt: string;
  /** A ReviewStatus, or '' for everything but archived and spam. */
  status: string;
  label: string;
  /** 'yes', 'no' or '' (either). */
  interest: string;
  q: string;
  /** 'yes': only public responses waiting over 48 hours for the author's reply. */
  reply: string;
  /** One reader's responses. */
  writer: string;
  /** A ModerationState ('HELD': awaiting the author), or '' for any. */
  moderation: string;
  /** 'yes': only responses with an open report; 'no': without; '' either. */
  reported: string;
}

export const MODERATION_STATES: { value: ModerationState; label: string }[] = [
  { value: 'HELD', label: 'Held' },
  { value: 'PUBLISHED', label: 'Published' },
  { value: 'REJECTED', label: 'Rejected' },
];

const HELD_REASONS: Record<HeldReason, string> = {
  FIRST_TIME: 'first response',
  ALL: 'every response is held',
  BLOCKED_TERM: 'blocked term',
  TOO_MANY_LINKS: 'too many links',
  SUSPECTED_SPAM: 'suspected spam',
  SPAM_CHECK: 'spam check',
  REPORTED: 'reported',
};

/** "Held: blocked term", for a row's badge. */
export const heldLabel = (reason: HeldReason | null | undefined): string =>
  reason ? `Held: ${HELD_REASONS[reason]}` : 'Held';

export const STATUSES: { value: ReviewStatus; label: string }[] = [
  { value: 'NEW', label: 'New' },
  { value: 'READ', label: 'Read' },
  { value: 'SHORTLISTED', label: 'Shortlisted' },
  { value: 'ARCHIVED', label: 'Archived' },
  { value: 'SPAM', label: 'Spam' },
];

export const statusLabel = (status: string | null | undefined): string =>
  STATUSES.find((entry) => entry.value === status)?.label ?? '';

const KEYS = [
  'essay',
  'prompt',
  'status',
  'label',
  'interest',
  'q',
  'reply',
  'writer',
  'moderation',
  'reported',
] as const;

export const EMPTY_FILTERS: QueueFilters = {
  essay: '',
  prompt: '',
  status: '',
  label: '',
  interest: '',
  q: '',
  reply: '',
  writer: '',
  moderation: '',
  reported: '',
};

/** Saved views: a name for a set of filters, and its count in reviewQueueCounts. */
export const SAVED_VIEWS: {
  name: string;
  filters: Partial<QueueFilters>;
  count: keyof DeskCountsFragment;
}[] = [
  { name: 'Inbox', filters: {}, count: 'inbox' },
  { name: 'Shortlist', filters: { status: 'SHORTLISTED' }, count: 'shortlist' },
  { name: 'Needs a reply', filters: { reply: 'yes' }, count: 'needsReply' },
  { name: 'Held', filters: { moderation: 'HELD' }, count: 'held' },
  { name: 'Reported', filters: { reported: 'yes' }, count: 'reported' },
];

export function readFilters(search = location.search): QueueFilters {
  const params = new URLSearchParams(search);
  const filters = { ...EMPTY_FILTERS };
  for (const key of KEYS) filters[key] = params.get(key)?.slice(0, 200) ?? '';
  if (!STATUSES.some((entry) => entry.value === filters.status)) filters.status = '';
  if (!['yes', 'no'].includes(filters.interest)) filters.interest = '';
  if (filters.reply !== 'yes') filters.reply = '';
  if (!MODERATION_STATES.some((entry) => entry.value === filters.moderation))
    filters.moderation = '';
  if (!['yes', 'no'].includes(filters.reported)) filters.reported = '';
  return filters;
}

/** The address of a view: `/desk?status=SHORTLISTED&q=bakery`. */
export function filtersUrl(filters: QueueFilters): string {
  const params = new URLSearchParams();
  for (const key of KEYS) if (filters[key]) params.set(key, filters[key]);
  const query = params.toString();
  return `${location.pathname}${query ? `?${query}` : ''}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The API's filter; ids that cannot be ids are left out rather than refused. */
export function apiFilter(filters: QueueFilters): ReviewQueueFilter {
  const filter: ReviewQueueFilter = {};
  if (UUID.test(filters.essay)) filter.essayId = filters.essay;
  if (UUID.test(filters.prompt)) filter.promptId = filters.prompt;
  if (filters.status) filter.status = filters.status as ReviewStatus;
  if (filters.label.trim()) filter.label = filters.label.trim().slice(0, 40);
  if (filters.interest) filter.hasInterest = filters.interest === 'yes';
  if (filters.q.trim()) filter.search = filters.q.trim();
  if (filters.reply === 'yes') filter.needsReply = true;
  if (UUID.test(filters.writer)) filter.writerId = filters.writer;
  if (filters.moderation) filter.moderationState = filters.moderation as ModerationState;
  if (filters.reported) filter.reported = filters.reported === 'yes';
  return filter;
}

export const sameFilters = (a: QueueFilters, b: Partial<QueueFilters>): boolean =>
  KEYS.every((key) => a[key] === (b[key] ?? ''));
