import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import pg from 'pg';
import type { CapturedStatement } from './capture-statements.js';

/*
 * The baseline the API benchmark compares the app with: a bare node:http + pg
 * server replaying, for every request, the very statements the app ran for
 * one request of the same kind (captured by bench/capture-statements.ts), then
 * answering the app's answer to it as JSON. Started by bench/api.ts as a child
 * process with BENCH_REPLAY_FILE naming a Replay; it reports its port over IPC.
 *
 * A read replays the statements in the waves the app ran them: statements the
 * app had in flight together run together, on the pool. A write replays the
 * app's transaction (BEGIN to COMMIT) on one connection, with fresh values for
 * the ids the app minted in it, so every request inserts new rows.
 */

export interface Replay {
  kind: 'read' | 'write';
  statements: CapturedStatement[];
  answer: unknown;
}

export interface Statement {
  text: string;
  values: unknown[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Groups statements into waves: one starts when a statement of the wave before had ended. */
export function waves(statements: CapturedStatement[]): Statement[][] {
  const sorted = [...statements].sort((a, b) => a.startedAt - b.startedAt);
  const result: CapturedStatement[][] = [];
  for (const statement of sorted) {
    const wave = result.at(-1);
    if (wave && statement.startedAt < Math.min(...wave.map((s) => s.endedAt))) wave.push(statement);
    else result.push([statement]);
  }
  return result.map((wave) => wave.map(({ text, values }) => ({ text, values })));
}

/** The app's transaction, and the ids first seen in it (the ones it minted). */
export function transaction(statements: CapturedStatement[]): {
  statements: Statement[];
  mintedIds: Set<string>;
} {
  const begin = statements.findIndex((s) => /^\s*(BEGIN|START TRANSACTION)/i.test(s.text));
  if (begin < 0) throw new Error('the captured write ran no transaction');
  const client = statements[begin]!.client;
  const end = statements.findIndex(
    (s, i) => i > begin && s.client === client && /^\s*COMMIT/i.test(s.text),
  );
  if (end < 0) throw new Error('the captured write did not commit');
  const inside = statements.slice(begin, end + 1).filter((s) => s.client === client);
  const seenBefore = new Set(
    statements
      .slice(0, begin)
      .flatMap((s) => s.values)
      .filter((v) => typeof v === 'string'),
  );
  const mintedIds = new Set(
    inside
      .filter((s) => /^\s*INSERT/i.test(s.text))
      .flatMap((s) => s.values)
      .filter((v): v is string => typeof v === 'string' && UUID.test(v) && !seenBefore.has(v)),
  );
  return { statements: inside.map(({ text, values }) => ({ text, values })), mintedIds };
}

async function serve(replay: Replay): Promise<void> {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
  let answerRequest: () => Promise<void>;
  if (replay.kind === 'read') {
    const plan = waves(replay.statements);
    answerRequest = async () => {
      for (const wave of plan) {
        await Promise.all(wave.map((s) => pool.query(s.text, s.values)));
      }
    };
  } else {
    const { statements, mintedIds } = transaction(replay.statements);
    answerRequest = async () => {
      const fresh = new Map([...mintedIds].map((id) => [id, randomUUID()]));
      const client = await pool.connect();
      try {
        for (const s of statements) {
          await client.query(
            s.text,
            s.values.map((v) => (typeof v === 'string' ? (fresh.get(v) ?? v) : v)),
          );
        }
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    };
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const reply = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
        response.end(JSON.stringify(body));
      };
      try {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        return reply(400, { errors: [{ message: 'not JSON' }] });
      }
      answerRequest().then(
        () => reply(200, replay.answer),
        (error: unknown) => reply(500, { errors: [{ message: String(error) }] }),
      );
    });
  });

  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    process.send?.({ port: typeof address === 'object' && address ? address.port : 0 });
  });

  process.on('SIGTERM', () => {
    server.close();
    void pool.end().then(() => process.exit(0));
  });
}

const replayFile = process.env.BENCH_REPLAY_FILE;
if (replayFile) await serve(JSON.parse(readFileSync(replayFile, 'utf8')) as Replay);
