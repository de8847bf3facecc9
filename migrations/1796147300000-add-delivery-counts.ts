import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The ledger's counts by kind and state, kept by statement-level triggers on
 * `deliveries`, so /metrics reads a few dozen rows however long the ledger
 * grows. A transaction adds its changes to the shard of its server process
 * (pid % 16): concurrent writers seldom wait on one another's counter row.
 */
export class AddDeliveryCounts1796147300000 implements MigrationInterface {
  name = 'AddDeliveryCounts1796147300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "delivery_counts" (
        "kind" "delivery_kind" NOT NULL,
        "state" "delivery_state" NOT NULL,
        "shard" smallint NOT NULL,
        "count" bigint NOT NULL,
        CONSTRAINT "delivery_counts_pkey" PRIMARY KEY ("kind", "state", "shard")
      )`);
    await queryRunner.query(`
      CREATE FUNCTION "delivery_counts_add"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          INSERT INTO delivery_counts AS c (kind, state, shard, count)
          SELECT kind, state, pg_backend_pid() % 16, count(*) FROM new_rows
           GROUP BY kind, state ORDER BY kind, state
          ON CONFLICT (kind, state, shard) DO UPDATE SET count = c.count + EXCLUDED.count;
        ELSIF TG_OP = 'DELETE' THEN
          INSERT INTO delivery_counts AS c (kind, state, shard, count)
          SELECT kind, state, pg_backend_pid() % 16, -count(*) FROM old_rows
           GROUP BY kind, state ORDER BY kind, state
          ON CONFLICT (kind, state, shard) DO UPDATE SET count = c.count + EXCLUDED.count;
        ELSE
          INSERT INTO delivery_counts AS c (kind, state, shard, count)
          SELECT kind, state, pg_backend_pid() % 16, sum(n) FROM (
                   SELECT kind, state, 1 AS n FROM new_rows
                   UNION ALL
                   SELECT kind, state, -1 FROM old_rows
                 ) change
           GROUP BY kind, state HAVING sum(n) <> 0 ORDER BY kind, state
          ON CONFLICT (kind, state, shard) DO UPDATE SET count = c.count + EXCLUDED.count;
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE FUNCTION "delivery_counts_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM delivery_counts;
        RETURN NULL;
      END $$`);
    // Writers wait while the counts are taken, so none is counted twice or missed.
    await queryRunner.query(`LOCK TABLE "deliveries" IN SHARE ROW EXCLUSIVE MODE`);
    for (const [event, rows] of [
      ['INSERT', 'NEW TABLE AS new_rows'],
      ['UPDATE', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
      ['DELETE', 'OLD TABLE AS old_rows'],
    ]) {
      await queryRunner.query(
        `CREATE TRIGGER "deliveries_count_${event.toLowerCase()}" AFTER ${event} ON "deliveries"
           REFERENCING ${rows} FOR EACH STATEMENT EXECUTE FUNCTION "delivery_counts_add"()`,
      );
    }
    await queryRunner.query(
      `CREATE TRIGGER "deliveries_count_truncate" AFTER TRUNCATE ON "deliveries"
         FOR EACH STATEMENT EXECUTE FUNCTION "delivery_counts_clear"()`,
    );
    await queryRunner.query(
      `INSERT INTO "delivery_counts" (kind, state, shard, count)
       SELECT kind, state, 0, count(*) FROM "deliveries" GROUP BY kind, state`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const event of ['insert', 'update', 'delete', 'truncate']) {
      await queryRunner.query(`DROP TRIGGER "deliveries_count_${event}" ON "deliveries"`);
    }
    await queryRunner.query(`DROP FUNCTION "delivery_counts_clear"()`);
    await queryRunner.query(`DROP FUNCTION "delivery_counts_add"()`);
    await queryRunner.query(`DROP TABLE "delivery_counts"`);
  }
}
