import { MoveNotificationSettings1796159250052 } from '../../migrations/1796159250052-move-notification-settings.js';
import { migrationDatabase } from '../support/database.js';

const SETTINGS = `reply_emails, review_digest_enabled, review_digest_timezone, review_digest_hour, review_window_start`;

describe('the migration that moves notification settings out of users', () => {
  const migration = new MoveNotificationSettings1796159250052();
  const { client, runner } = migrationDatabase();

  it('moves every user’s settings over as they are, and back on revert', async () => {
    await migration.down(runner());
    await client.query(
      `INSERT INTO users (email, display_name, role, ${SETTINGS}) VALUES
         ('author@example.test', 'Ada', 'AUTHOR', false, false, 'Europe/Paris', 7, '2027-01-02T07:00:00Z'),
         ('reader@example.test', 'Reader 1', 'READER', true, true, 'UTC', 8, NULL)`,
    );
    const before = await client.query(`SELECT email, ${SETTINGS} FROM users ORDER BY email`);
    expect(before.rows).toHaveLength(2);

    await migration.up(runner());
    const moved = await client.query(
      `SELECT u.email, ${SETTINGS.split(', ')
        .map((column) => `s.${column}`)
        .join(
          ', ',
        )} FROM notification_settings s JOIN users u ON u.id = s.user_id ORDER BY u.email`,
    );
    expect(moved.rows).toEqual(before.rows);
    const left = await client.query(
      `SELECT column_name FROM information_schema.columns
        WHERE table_name = 'users' AND column_name LIKE ANY (ARRAY['reply_%', 'review_%'])`,
    );
    expect(left.rows).toEqual([]);

    await migration.down(runner());
    expect(
      (await client.query(`SELECT email, ${SETTINGS} FROM users ORDER BY email`)).rows,
    ).toEqual(before.rows);
    expect((await client.query(`SELECT to_regclass('notification_settings') AS t`)).rows).toEqual([
      { t: null },
    ]);
    await migration.up(runner());
  });
});
