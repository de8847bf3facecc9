import { DateTime } from 'luxon';
import pg from 'pg';

/*
 * The digest benchmark's data, written with set-based SQL into a migrated,
 * empty database: a day of conversation on one essay and `subscribers`
 * confirmed subscriptions, every one of them due at the planning instant.
 */

/** Send hours are an hour or two before the planning instant, in each of these zones. */
const TIME_ZONES = [
  'UTC',
  'Europe/London',
  'Europe/Berlin',
  'America/New_York',
  'America/Los_Angeles',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Australia/Sydney',
];
const HOURS_BEFORE = [1, 2];
const RESPONSES = 50;
const AUTHOR_REPLIES = 5;
const HOUR = 3_600_000;

/**
 * One author, 50 readers, one essay published a day ago with three prompts,
 * 50 responses and 5 author replies spread over the day (each with its
 * event), and the subscriptions: one in ten follows the essay's
 * conversation, the rest all essays; all daily, confirmed three days ago.
 */
export async function seedDigestScene(url: string, at: Date, subscribers: number): Promise<void> {
  const schedules = TIME_ZONES.flatMap((zone) =>
    HOURS_BEFORE.map((hours) => ({
      zone,
      hour: DateTime.fromJSDate(new Date(at.getTime() - hours * HOUR), { zone }).hour,
    })),
  );
  const dayStart = new Date(at.getTime() - 26 * HOUR);
  const dayEnd = new Date(at.getTime() - 3 * HOUR);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    const {
      rows: [author],
    } = await client.query<{ id: string }>(
      `INSERT INTO users (email, display_name, role)
       VALUES ('author@bench.test', 'Ada Author', 'AUTHOR') RETURNING id`,
    );
    await client.query(
      `INSERT INTO notification_settings (user_id, review_digest_enabled) VALUES ($1, false)`,
      [author!.id],
    );
    await client.query(
      `INSERT INTO users (email, display_name)
       SELECT 'reader' || n || '@bench.test', 'Reader ' || n FROM generate_series(1, $1::int) n`,
      [RESPONSES],
    );
    const body =
      'Organizations that behave like living systems sense, adapt and grow from their edges. ' +
      'This essay looks at what that means for the teams we build.\n\n' +
      'What does a living organization look like in your world?';
    const {
      rows: [essay],
    } = await client.query<{ id: string }>(
      `INSERT INTO essays (slug, title, body_markdown, body_html, excerpt, status, published_at, author_id)
       VALUES ('living-organizations', 'What does a living organization look like?', $1, $2, $3,
               'PUBLISHED', $4, $5)
       RETURNING id`,
      [body, `<p>${body}</p>`, body.slice(0, 160), dayStart, author!.id],
    );
    await client.query(
      `INSERT INTO prompts (essay_id, text, position)
       SELECT $1, text, position::int - 1 FROM unnest($2::text[]) WITH ORDINALITY AS p(text, position)`,
      [
        essay!.id,
        [
          'What does a living organization look like in your world?',
          'What are you building?',
          'Where does your organization sense its environment?',
        ],
      ],
    );
    const step = Math.floor((dayEnd.getTime() - dayStart.getTime()) / (RESPONSES + 1));
    await client.query(
      `WITH prompt AS (SELECT array_agg(id ORDER BY position) AS ids FROM prompts WHERE essay_id = $1),
            writer AS (SELECT id, substring(email from 'reader(\\d+)@')::int AS n FROM users WHERE role = 'READER')
       INSERT INTO responses (id, prompt_id, essay_id, author_id, root_id, thread_owner_id, depth,
                              body_markdown, body_html, created_at)
       SELECT r.id, (SELECT ids FROM prompt)[1 + w.n % 3], $1, w.id, r.id, w.id, 1, r.body, '<p>' || r.body || '</p>',
              $2::timestamptz + w.n * $3 * interval '1 millisecond'
         FROM writer w
        CROSS JOIN LATERAL (
          SELECT gen_random_uuid() AS id,
                 'Response ' || w.n || ': we are building a cooperative that ' ||
                 repeat('learns from its members, shares what it earns and changes its shape as it grows. ', 1 + w.n % 4) AS body
        ) r`,
      [essay!.id, dayStart, step],
    );
    await client.query(
      `INSERT INTO responses (prompt_id, essay_id, author_id, parent_id, root_id, thread_owner_id, depth,
                              body_markdown, body_html, created_at)
       SELECT prompt_id, essay_id, $1, id, id, author_id, 2,
              'Thank you: this is the kind of practice I hoped to hear about. Tell me more about how decisions get made.',
              '<p>Thank you: this is the kind of practice I hoped to hear about.</p>',
              created_at + interval '30 minutes'
         FROM responses WHERE parent_id IS NULL ORDER BY created_at LIMIT $2`,
      [author!.id, AUTHOR_REPLIES],
    );
    await client.query(
      `INSERT INTO events (type, essay_id, subject_id, actor_id, occurred_at)
       SELECT 'ESSAY_PUBLISHED', id, id, author_id, published_at FROM essays
       UNION ALL
       SELECT CASE WHEN parent_id IS NULL THEN 'RESPONSE_PUBLISHED' ELSE 'AUTHOR_REPLIED' END::event_type,
              essay_id, id, author_id, created_at
         FROM responses`,
    );
    await client.query(
      `INSERT INTO digest_subscriptions (email, scope, essay_id, scope_key, frequency, timezone,
                                         send_hour, weekday, status, confirmed_at, created_at)
       SELECT 'subscriber' || n || '@bench.test',
              CASE WHEN n % 10 = 0 THEN 'ESSAY' ELSE 'ALL_ESSAYS' END::digest_scope,
              CASE WHEN n % 10 = 0 THEN $1::uuid END,
              CASE WHEN n % 10 = 0 THEN $1::text ELSE 'ALL' END,
              'DAILY', ($2::text[])[1 + n % $4], ($3::smallint[])[1 + n % $4], 1, 'CONFIRMED', $5, $5
         FROM generate_series(1, $6::int) n`,
      [
        essay!.id,
        schedules.map((s) => s.zone),
        schedules.map((s) => s.hour),
        schedules.length,
        new Date(at.getTime() - 72 * HOUR),
        subscribers,
      ],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
