import { useEffect, useState } from 'preact/hooks';
import { focusSoon } from '../conversation/state.js';
import { formatDate } from '../shared/format.js';
import { describeError, request } from '../shared/graphql.js';
import type {
  AuditAction,
  DeskAuditLogQuery,
  DeskAuditLogQueryVariables,
} from '../shared/graphql-types.js';
import { deskAuditLogQuery } from './documents.js';

type Entry = DeskAuditLogQuery['auditLog']['edges'][number]['node'];

const ACTIONS: Record<AuditAction, string> = {
  ESSAY_IMPORTED: 'Essay imported',
  ESSAY_UPDATED: 'Essay edited',
  ESSAY_PUBLISHED: 'Essay published',
  ESSAY_ARCHIVED: 'Essay archived',
  ESSAY_EXPORTED: 'Essay exported',
  PROMPT_ADDED: 'Prompt added',
  PROMPT_UPDATED: 'Prompt reworded',
  PROMPT_CLOSED: 'Prompt closed',
  PROMPT_REOPENED: 'Prompt reopened',
  RESPONSE_REVIEWED: 'Response reviewed',
  RESPONSE_DELETED: 'Response deleted',
  RESPONSE_APPROVED: 'Response approved',
  RESPONSE_REJECTED: 'Response rejected',
  REPORT_RESOLVED: 'Report resolved',
  READER_BANNED: 'Reader banned',
  READER_UNBANNED: 'Ban lifted',
  INTEREST_STATUS_CHANGED: 'Offer moved',
  MODERATION_SETTINGS_CHANGED: 'Moderation settings changed',
  REVIEW_DIGEST_SETTINGS_CHANGED: 'Review digest settings changed',
};

/** The audit log: what was done, newest first, 20 at a time, by action. */
export function Audit() {
  const [action, setAction] = useState('');
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState('');
  const load = async (after: string | null) => {
    try {
      const data = await request<DeskAuditLogQuery, DeskAuditLogQueryVariables>(deskAuditLogQuery, {
        filter: action ? { action: action as AuditAction } : null,
        after,
      });
      const page = data.auditLog.edges.map((edge) => edge.node);
      setEntries((before) => (after && before ? [...before, ...page] : page));
      setNext(
        data.auditLog.pageInfo.hasNextPage ? (data.auditLog.pageInfo.endCursor ?? null) : null,
      );
      setError('');
      if (after && page[0]) focusSoon(`#audit-${page[0].id}`);
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  useEffect(() => {
    setEntries(null);
    void load(null);
  }, [action]);

  return (
    <section class="desk-audit" aria-labelledby="desk-audit-title">
      <h2 id="desk-audit-title">Audit log</h2>
      <div class="field">
        <label for="desk-audit-action">Action</label>
        <select
          id="desk-audit-action"
          data-desk-search
          value={action}
          onChange={(event) => setAction(event.currentTarget.value)}
        >
          <option value="">Every action</option>
          {Object.entries(ACTIONS).map(([value, label]) => (
            <option value={value} key={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {error && (
        <p class="notice notice--danger" role="alert">
          {error}
        </p>
      )}
      {!entries && !error && <p>Loading…</p>}
      {entries && entries.length === 0 && <p class="notice">Nothing recorded.</p>}
      {entries && entries.length > 0 && (
        <ol class="audit-log">
          {entries.map((entry) => (
            <li key={entry.id} id={`audit-${entry.id}`} tabIndex={-1} data-desk-item>
              <strong>{ACTIONS[entry.action]}</strong> ·{' '}
              <time dateTime={entry.occurredAt}>{formatDate(entry.occurredAt)}</time> ·{' '}
              <span class="queue-row__meta">
                {entry.subjectType} {entry.subjectId}
              </span>
            </li>
          ))}
        </ol>
      )}
      {next && (
        <button type="button" class="button button--secondary" onClick={() => void load(next)}>
          Load more
        </button>
      )}
    </section>
  );
}
