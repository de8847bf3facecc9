import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { ParsedMail } from 'mailparser';
import pg from 'pg';
import { DigestPlanner, type PlanResult } from '../../src/digests/planner.service.js';
import { DIGESTS_QUEUE, MAIL_QUEUE } from '../../src/queue/queue-names.js';
import type { TestApp } from './app.js';
import { eventually } from './given.js';

export const SUBSCRIBE = `mutation($input: SubscribeInput!) { subscribe(input: $input) }`;
export const CONFIRM = `mutation($token: String!) {
  confirmSubscription(token: $token) { id email status scope essayId frequency timezone sendHour weekday token }
}`;
export const RESPOND = `mutation($input: RespondInput!) { respond(input: $input) { id } }`;
export const REPLY = `mutation($id: ID!, $body: String!) { replyToResponse(responseId: $id, body: $body) { id } }`;

export interface SubscribeInput {
  email: string;
  scope?: 'ALL_ESSAYS' | 'ESSAY';
  essayId?: string;
  frequency?: 'DAILY' | 'WEEKLY';
  timezone?: string;
  sendHour?: number;
  weekday?: string;
}

/** The token of the first `path` link in a message's text part. */
export function linkToken(text: string, path: string): string {
  const match = new RegExp(`${path}\\?(?:list=\\w+&)?token=([\\w.%-]+)`).exec(text);
  if (!match) throw new Error(`no ${path} link in:\n${text}`);
  return decodeURIComponent(match[1]!);
}

export function recipientOf(mail: ParsedMail): string {
  const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
  return to?.value[0]?.address?.toLowerCase() ?? '';
}

export function mailsTo(app: TestApp, email: string): ParsedMail[] {
  return app.smtp.messages.filter((mail) => recipientOf(mail) === email.toLowerCase());
}

export function planAt(app: TestApp, at: string | Date): Promise<PlanResult> {
  return app.platform.app.get(DigestPlanner).plan(new Date(at));
}

export function mailQueue(app: TestApp): Queue {
  return app.platform.app.get<Queue>(getQueueToken(MAIL_QUEUE), { strict: false });
}

/** Waits until every decided email has been sent or skipped (the worker runs in the app). */
export async function settled(app: TestApp, timeoutMs = 30_000): Promise<void> {
  const pending = await eventually(
    async () =>
      (
        await app.sql<{ n: number }>(
          `SELECT count(*)::int AS n FROM deliveries WHERE state = 'PENDING'`,
        )
      )[0]!.n,
    (n) => n === 0,
    timeoutMs,
  );
  if (pending !== 0) throw new Error(`${pending} deliveries still pending after ${timeoutMs} ms`);
}

/**
 * Waits for the planner's first scheduled run (a worker schedules one when it
 * starts, as of the clock), so it cannot land in the middle of a test.
 */
export async function scheduledPlanDone(app: TestApp): Promise<void> {
  const queue = app.platform.app.get<Queue>(getQueueToken(DIGESTS_QUEUE), { strict: false });
  const counts = await eventually(
    () => queue.getJobCounts('completed', 'failed'),
    (c) => (c.completed ?? 0) + (c.failed ?? 0) >= 1,
  );
  if ((counts.completed ?? 0) + (counts.failed ?? 0) < 1)
    throw new Error('the scheduled planner job never ran');
}

/** Subscribes, opens the confirmation email and confirms; answers the manage token. */
export async function subscribeConfirmed(
  app: TestApp,
  input: SubscribeInput,
): Promise<{ id: string; token: string; confirmToken: string }> {
  await app.gqlOk(SUBSCRIBE, { input });
  const confirmToken = await confirmationToken(app, input.email);
  const { confirmSubscription } = await app.gqlOk<{
    confirmSubscription: { id: string; token: string; status: string };
  }>(CONFIRM, { token: confirmToken });
  if (confirmSubscription.status !== 'CONFIRMED') throw new Error('not confirmed');
  return { id: confirmSubscription.id, token: confirmSubscription.token, confirmToken };
}

/** The token of the newest confirmation email to `email`, once the worker has sent it. */
export async function confirmationToken(app: TestApp, email: string): Promise<string> {
  await settled(app);
  const newest = mailsTo(app, email)
    .filter((mail) => mail.subject?.startsWith('Confirm') === true)
    .at(-1);
  if (!newest) throw new Error(`no confirmation email to ${email}`);
  return linkToken(newest.text!, '/subscriptions/confirm');
}

/** Posts a form, as a browser (or a mail client's one-click unsubscribe) would. */
export function postForm(url: string, body: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
    redirect: 'manual',
  });
}

export async function subscriptionRow(app: TestApp, id: string) {
  const [row] = await app.sql<{
    status: string;
    frequency: string;
    timezone: string;
    send_hour: number;
    weekday: number;
    scope: string;
    window_start: Date | null;
  }>(
    `SELECT status, frequency, timezone, send_hour, weekday, scope, window_start
       FROM digest_subscriptions WHERE id = $1`,
    [id],
  );
  return row!;
}

export async function digestRows(app: TestApp, subscriptionId: string) {
  return app.sql<{
    slot_key: string;
    state: string;
    window_start: Date;
    window_end: Date;
  }>(
    `SELECT slot_key, state, window_start, window_end FROM deliveries
      WHERE subscription_id = $1 AND kind = 'DIGEST' ORDER BY window_end`,
    [subscriptionId],
  );
}

/**
 * Runs two planning passes at once while another transaction holds `table`'s
 * row `id` (a preference change, say), so that neither pass has finished
 * when the other reads; answers when both are done.
 */
export async function planTogetherAtALockedRow(
  app: TestApp,
  row: { table: 'users' | 'digest_subscriptions'; id: string },
  instants: [string, string],
): Promise<void> {
  const holder = new pg.Client({ connectionString: app.config.databaseUrl });
  await holder.connect();
  let passes: Promise<unknown>;
  try {
    await holder.query('BEGIN');
    await holder.query(`SELECT 1 FROM ${row.table} WHERE id = $1 FOR UPDATE`, [row.id]);
    passes = Promise.all(instants.map((at) => planAt(app, at)));
    await eventually(
      async () =>
        (
          await app.sql<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          )
        )[0]!.n,
      (n) => n === 2,
    );
  } finally {
    await holder.query('COMMIT');
    await holder.end();
  }
  await passes;
}
