import { AddWebhookRelayCursor1796172000000 } from '../../migrations/1796172000000-add-webhook-relay-cursor.js';
import { migrationDatabase } from '../support/database.js';

const NIL = '00000000-0000-0000-0000-000000000000';

describe('the migration that gives the webhook relay its cursor', () => {
  const migration = new AddWebhookRelayCursor1796172000000();
  const { client, runner } = migrationDatabase();

  it('starts each endpoint just before its first event without a delivery, or past all it was sent', async () => {
    await migration.down(runner());
    // Ids chosen so their order is known: 1…, 2…, 3…, 4….
    const event = (n: number) => `${n}0000000-0000-4000-8000-000000000000`;
    await client.query(
      `INSERT INTO events (id, type, subject_id, occurred_at, created_at) VALUES
         ($1, 'RESPONSE_PUBLISHED', gen_random_uuid(), now(), '2026-12-01T10:00:00Z'),
         ($2, 'ESSAY_PUBLISHED', gen_random_uuid(), now(), '2026-12-01T10:00:00Z'),
         ($3, 'RESPONSE_HELD', gen_random_uuid(), now(), '2026-12-01T10:00:00Z'),
         ($4, 'REPORT_OPENED', gen_random_uuid(), now(), '2026-12-01T10:00:00Z')`,
      [event(1), event(2), event(3), event(4)],
    );
    await client.query(
      `INSERT INTO webhook_endpoints (url, added_at) VALUES
         ('https://behind.example/hook', '2026-12-01T09:00:00Z'),
         ('https://caught-up.example/hook', '2026-12-01T09:00:00Z'),
         ('https://from-scratch.example/hook', '2026-12-01T09:00:00Z')`,
    );
    // One endpoint was sent 1 and 4 but not 3 yet; another everything; the third nothing.
    await client.query(
      `INSERT INTO webhook_deliveries (event_id, endpoint) VALUES
         ($1, 'https://behind.example/hook'), ($3, 'https://behind.example/hook'),
         ($1, 'https://caught-up.example/hook'), ($2, 'https://caught-up.example/hook'),
         ($3, 'https://caught-up.example/hook')`,
      [event(1), event(3), event(4)],
    );

    await migration.up(runner());
    const cursors = await client.query(
      `SELECT url, relayed_tx_id AS tx, relayed_event_id AS id FROM webhook_endpoints ORDER BY url`,
    );
    expect(cursors.rows).toEqual([
      { url: 'https://behind.example/hook', tx: '0', id: event(2) },
      {
        url: 'https://caught-up.example/hook',
        tx: '0',
        id: 'ffffffff-ffff-ffff-ffff-ffffffffffff',
      },
      { url: 'https://from-scratch.example/hook', tx: '0', id: NIL },
    ]);
    // Events already there are from no transaction in particular; new ones record theirs.
    const { rows } = await client.query<{ tx: string }>(
      `INSERT INTO events (type, subject_id, occurred_at) VALUES ('RESPONSE_HELD', gen_random_uuid(), now())
       RETURNING tx_id AS tx`,
    );
    expect(BigInt(rows[0]!.tx)).toBeGreaterThan(0n);
    expect(
      (
        await client.query(`SELECT DISTINCT tx_id AS tx FROM events WHERE id = ANY($1::uuid[])`, [
          [event(1), event(4)],
        ])
      ).rows,
    ).toEqual([{ tx: '0' }]);
  });
});
