import { useEffect, useState } from 'preact/hooks';
import { announce } from '../conversation/state.js';
import { formatDate } from '../shared/format.js';
import { describeError, request } from '../shared/graphql.js';
import type {
  DeskApproveMutation,
  DeskApproveMutationVariables,
  DeskBanMutation,
  DeskBanMutationVariables,
  DeskOpenReportsQuery,
  DeskRejectMutation,
  DeskRejectMutationVariables,
  DeskResolveReportMutation,
  DeskResolveReportMutationVariables,
  DeskUnbanMutation,
  DeskUnbanMutationVariables,
  ReportAction,
  ReportReason,
} from '../shared/graphql-types.js';
import {
  deskApproveMutation,
  deskBanMutation,
  deskOpenReportsQuery,
  deskRejectMutation,
  deskResolveReportMutation,
  deskUnbanMutation,
  type ResponseDetail as Detail,
} from './documents.js';
import { heldLabel } from './filters.js';
import { loadQueue } from './state.js';

type OpenReport = DeskOpenReportsQuery['reports']['edges'][number]['node'];

const REASONS: Record<ReportReason, string> = {
  ABUSE: 'Abuse',
  OFF_TOPIC: 'Off topic',
  OTHER: 'Other',
  PRIVACY: 'Privacy',
  SPAM: 'Spam',
};

/**
 * The safety tools on an opened response: approve or reject a held one,
 * resolve its open reports, ban its writer (optionally hiding what they wrote).
 */
export function ModerationTools(props: { detail: Detail; onChanged: () => Promise<void> }) {
  const { detail } = props;
  const [reports, setReports] = useState<OpenReport[]>([]);
  const [rejectReason, setRejectReason] = useState('');
  const [banReason, setBanReason] = useState('');
  const [hideExisting, setHideExisting] = useState(true);
  const [error, setError] = useState('');
  const loadReports = async () => {
    if (!detail.reportCount) return setReports([]);
    const data = await request<DeskOpenReportsQuery, Record<string, never>>(
      deskOpenReportsQuery,
      {},
    );
    setReports(
      data.reports.edges.map((edge) => edge.node).filter((r) => r.response.id === detail.id),
    );
  };
  useEffect(() => {
    setRejectReason('');
    setBanReason('');
    loadReports().catch((failure: unknown) => setError(describeError(failure)));
  }, [detail.id, detail.reportCount]);

  const run = async (action: () => Promise<unknown>, done: string) => {
    try {
      await action();
      setError('');
      announce(done);
      await Promise.all([props.onChanged(), loadQueue()]);
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  const writer = detail.author.displayName;

  return (
    <section class="desk-detail__moderation" aria-labelledby="desk-moderation-title">
      <h3 id="desk-moderation-title">Moderation</h3>
      {detail.moderationState === 'HELD' && (
        <div class="desk-moderation__held">
          <p>
            <span class="badge badge--held">{heldLabel(detail.heldReason)}</span> Only you and{' '}
            {writer} see it until you approve it.
          </p>
          <button
            type="button"
            class="button"
            onClick={() =>
              void run(
                () =>
                  request<DeskApproveMutation, DeskApproveMutationVariables>(deskApproveMutation, {
                    id: detail.id,
                  }),
                'Approved: it is in the conversation now.',
              )
            }
          >
            Approve
          </button>
          <form
            class="desk-moderation__form"
            onSubmit={(event) => {
              event.preventDefault();
              void run(
                () =>
                  request<DeskRejectMutation, DeskRejectMutationVariables>(deskRejectMutation, {
                    id: detail.id,
                    reason: rejectReason.trim(),
                  }),
                'Rejected: only you and the writer see it.',
              );
            }}
          >
            <div class="field">
              <label for="desk-reject-reason">Reason for rejecting</label>
              <input
                id="desk-reject-reason"
                type="text"
                required
                maxLength={500}
                value={rejectReason}
                onInput={(event) => setRejectReason(event.currentTarget.value)}
              />
            </div>
            <button type="submit" class="button button--secondary">
              Reject
            </button>
          </form>
        </div>
      )}
      {detail.moderationState === 'REJECTED' && <p>Rejected: only you and {writer} see it.</p>}
      {reports.length > 0 && (
        <ul class="desk-reports" aria-label="Open reports">
          {reports.map((report) => (
            <li key={report.id}>
              <p>
                <strong>{REASONS[report.reason]}</strong> ·{' '}
                <time dateTime={report.createdAt}>{formatDate(report.createdAt)}</time>
                {report.note ? ` · “${report.note}”` : ''}
              </p>
              {(['DISMISS', 'HIDE'] as ReportAction[]).map((action) => (
                <button
                  type="button"
                  class="button button--secondary"
                  key={action}
                  aria-label={`${action === 'DISMISS' ? 'Dismiss' : 'Hide response'}: the ${REASONS[report.reason].toLowerCase()} report`}
                  onClick={() =>
                    void run(
                      () =>
                        request<DeskResolveReportMutation, DeskResolveReportMutationVariables>(
                          deskResolveReportMutation,
                          { id: report.id, action },
                        ),
                      action === 'DISMISS' ? 'Report dismissed.' : 'Response hidden.',
                    )
                  }
                >
                  {action === 'DISMISS' ? 'Dismiss' : 'Hide response'}
                </button>
              ))}
            </li>
          ))}
        </ul>
      )}
      <form
        class="desk-moderation__form"
        onSubmit={(event) => {
          event.preventDefault();
          void run(
            () =>
              request<DeskBanMutation, DeskBanMutationVariables>(deskBanMutation, {
                userId: detail.author.id,
                reason: banReason.trim(),
                hideExisting,
              }),
            hideExisting
              ? `${writer} is banned; their earlier responses are hidden.`
              : `${writer} is banned.`,
          );
        }}
      >
        <div class="field">
          <label for="desk-ban-reason">Reason for banning {writer}</label>
          <input
            id="desk-ban-reason"
            type="text"
            required
            maxLength={500}
            value={banReason}
            onInput={(event) => setBanReason(event.currentTarget.value)}
          />
        </div>
        <div class="field field--check">
          <input
            id="desk-ban-hide"
            type="checkbox"
            checked={hideExisting}
            onChange={(event) => setHideExisting(event.currentTarget.checked)}
          />
          <label for="desk-ban-hide">Hide their earlier responses</label>
        </div>
        <button type="submit" class="button button--secondary">
          Ban the writer
        </button>
        <button
          type="button"
          class="button button--quiet"
          onClick={() =>
            void run(
              () =>
                request<DeskUnbanMutation, DeskUnbanMutationVariables>(deskUnbanMutation, {
                  userId: detail.author.id,
                }),
              `The ban on ${writer} is lifted.`,
            )
          }
        >
          Lift the ban
        </button>
      </form>
      <p class="form__error" role="alert">
        {error}
      </p>
    </section>
  );
}
