import { escapeHtml, htmlPage } from '../../common/html-page.js';
import { DigestSubscriptionEntity, SubscriptionStatus } from '../digest-subscription.entity.js';
import { WEEKDAYS, weekdayName } from '../slots.js';
import type { NotificationList } from '../subscription-pages.service.js';

/*
 * The small pages email links open, in the shared look of the sign-in page.
 * Showing one changes nothing (mail scanners open links); their buttons POST.
 */

export function confirmPageHtml(token: string): string {
  return htmlPage(
    'Confirm',
    `<h1>Confirm your digest</h1>
<form method="post" action="/subscriptions/confirm"><input type="hidden" name="token" value="${escapeHtml(token)}">
<button type="submit">Confirm my subscription</button></form>`,
  );
}

export function confirmedPageHtml(
  subscription: DigestSubscriptionEntity,
  manageToken: string,
): string {
  return htmlPage(
    'Confirmed',
    `<h1>You are subscribed</h1>
<p>Your ${subscription.frequency.toLowerCase()} digest will come to ${escapeHtml(subscription.email)} at ${subscription.sendHour}:00 (${escapeHtml(subscription.timezone)}).</p>
<p><a href="/subscriptions/manage?token=${encodeURIComponent(manageToken)}">Change how often, when, or what</a></p>`,
  );
}

export function unsubscribePageHtml(token: string): string {
  return htmlPage(
    'Unsubscribe',
    `<h1>Unsubscribe</h1><p>Stop this digest?</p>
<form method="post" action="/subscriptions/unsubscribe?token=${encodeURIComponent(token)}">
<button type="submit">Unsubscribe</button></form>`,
  );
}

export function unsubscribedPageHtml(subscription: DigestSubscriptionEntity): string {
  return htmlPage(
    'Unsubscribed',
    `<h1>You are unsubscribed</h1>
<p>No more digests will go to ${escapeHtml(subscription.email)}.</p>`,
  );
}

/** The preferences form, and the unsubscribe button while the subscription is active. */
export function managePageHtml(
  subscription: DigestSubscriptionEntity,
  token: string,
  saved = false,
): string {
  const option = (value: string, current: string, label = value) =>
    `<option value="${value}"${value === current ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  const hours = Array.from({ length: 24 }, (_, h) =>
    option(String(h), String(subscription.sendHour), `${String(h).padStart(2, '0')}:00`),
  ).join('');
  const active = subscription.status !== SubscriptionStatus.UNSUBSCRIBED;
  return htmlPage(
    'Manage your digest',
    `<h1>Your digest</h1>${saved ? '<p><strong>Saved.</strong></p>' : ''}
<p>For ${escapeHtml(subscription.email)}${active ? '' : ' — <strong>unsubscribed</strong>'}.</p>
<form method="post" action="/subscriptions/manage">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<p><label>How often <select name="frequency">${option('DAILY', subscription.frequency, 'Daily')}${option('WEEKLY', subscription.frequency, 'Weekly')}</select></label></p>
<p><label>On (weekly) <select name="weekday">${WEEKDAYS.map((day) => option(day, weekdayName(subscription.weekday))).join('')}</select></label></p>
<p><label>At <select name="sendHour">${hours}</select></label></p>
<p><label>Time zone <input name="timezone" value="${escapeHtml(subscription.timezone)}"></label></p>
<p><label>What <select name="scope">${option('ALL_ESSAYS', subscription.scope, 'All essays and conversations')}${subscription.essayId ? option('ESSAY', subscription.scope, "This essay's conversation") : ''}</select></label></p>
<button type="submit">Save</button>
</form>
${active ? `<form method="post" action="/subscriptions/unsubscribe?token=${encodeURIComponent(token)}"><p><button type="submit">Unsubscribe</button></p></form>` : ''}`,
  );
}

const NOTIFICATION_LISTS: Record<NotificationList, { asked: string; done: string }> = {
  replies: {
    asked: 'emails when the author replies to you',
    done: 'You will not get emails when the author replies to you.',
  },
  review: { asked: 'the daily review digest', done: 'The daily review digest is off.' },
};

/** Any `list` but "review" reads as reply emails here; the POST refuses unknown lists. */
export function notificationsOffPageHtml(list: string, token: string): string {
  const { asked } = NOTIFICATION_LISTS[list === 'review' ? 'review' : 'replies'];
  return htmlPage(
    'Unsubscribe',
    `<h1>Unsubscribe</h1><p>Stop ${asked}?</p>
<form method="post" action="/notifications/unsubscribe?list=${encodeURIComponent(list)}&amp;token=${encodeURIComponent(token)}">
<button type="submit">Unsubscribe</button></form>`,
  );
}

export function notificationsOffDoneHtml(list: NotificationList): string {
  return htmlPage('Unsubscribed', `<h1>Done</h1><p>${NOTIFICATION_LISTS[list].done}</p>`);
}

/** A link that did not work: the domain error's message, nothing more. */
export function linkFailedPageHtml(message: string): string {
  return htmlPage('Something is wrong', `<h1>That did not work</h1><p>${escapeHtml(message)}</p>`);
}
