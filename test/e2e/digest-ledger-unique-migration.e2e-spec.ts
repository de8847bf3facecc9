import { DigestLedgerUniqueBySubscription1796173000000 } from '../../migrations/1796173000000-digest-ledger-unique-by-subscription.js';
import { migrationDatabase } from '../support/database.js';

const SUBSCRIPTION = '10000000-0000-4000-8000-000000000000';

describe('the migration that keeps digests unique by subscription and slot alone', () => {
  const migration = new DigestLedgerUniqueBySubscription1796173000000();
  const { client, runner } = migrationDatabase();

  /** Writes the row as a planner would; answers how many rows it wrote (0: already decided). */
  const decide = async (row: {
    kind: 'DIGEST' | 'SIGN_IN';
    recipient: string;
    reasonKey: string;
    subscriptionId?: string;
    slotKey?: string;
  }): Promise<number> => {
    const result = await client.query(
      `INSERT INTO deliveries (kind, recipient, reason_key, subscription_id, slot_key)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
      [row.kind, row.recipient, row.reasonKey, row.subscriptionId ?? null, row.slotKey ?? null],
    );
    return result.rowCount ?? 0;
  };

  it('a second digest of a subscription and slot, and a second email of any other kind and reason, is still a no-op', async () => {
    const digest = {
      kind: 'DIGEST' as const,
      recipient: 'reader@example.test',
      reasonKey: `digest:${SUBSCRIPTION}:2026-12-02`,
      subscriptionId: SUBSCRIPTION,
      slotKey: '2026-12-02',
    };
    const signIn = { kind: 'SIGN_IN' as const, recipient: 'reader@example.test', reasonKey: 't1' };
    expect(await decide(digest)).toBe(1);
    expect(await decide(digest)).toBe(0);
    // Another address for the same subscription and slot is the same digest.
    expect(await decide({ ...digest, recipient: 'other@example.test' })).toBe(0);
    expect(await decide(signIn)).toBe(1);
    expect(await decide(signIn)).toBe(0);

    const predicate = async () =>
      (
        await client.query<{ predicate: string | null }>(
          `SELECT pg_get_expr(i.indpred, i.indrelid) AS predicate FROM pg_index i
            WHERE i.indexrelid = 'deliveries_reason_key'::regclass`,
        )
      ).rows[0]!.predicate;
    expect(await predicate()).toBe(`(kind <> 'DIGEST'::delivery_kind)`);
    await migration.down(runner());
    expect(await predicate()).toBeNull();
    expect(await decide(signIn)).toBe(0);
    await migration.up(runner());
    expect(await predicate()).toBe(`(kind <> 'DIGEST'::delivery_kind)`);
    expect(await decide(digest)).toBe(0);
  });
});
