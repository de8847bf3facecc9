import { createServer } from 'node:http';
import pg from 'pg';

/*
 * The baseline the API benchmark compares the app with: a plain node:http
 * server answering the benchmark's query with the statements the page needs,
 * through `pg`, in the JSON shape the app returns. Started by bench/api.ts as
 * a child process; it reports its port over IPC.
 */

const VISIBLE = `r.review_status <> 'SPAM' AND r.visibility = 'PUBLIC'
  AND EXISTS (SELECT 1 FROM essays e WHERE e.id = r.essay_id AND e.status = 'PUBLISHED')`;

const PAGE = `SELECT r.id, r.author_id FROM responses r
  WHERE r.prompt_id = $1 AND r.parent_id IS NULL AND ${VISIBLE}
  ORDER BY r.created_at DESC, r.id DESC LIMIT $2`;
const AUTHORS = `SELECT id, display_name FROM users WHERE id = ANY($1::uuid[])`;
const REPLY_COUNTS = `SELECT r.parent_id, count(*)::int AS count FROM responses r
  WHERE r.parent_id = ANY($1::uuid[]) AND ${VISIBLE} GROUP BY r.parent_id`;

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

async function page(promptId: string, first: number): Promise<unknown> {
  const { rows } = await pool.query<{ id: string; author_id: string }>(PAGE, [promptId, first]);
  const ids = rows.map((row) => row.id);
  const [authors, counts] = await Promise.all([
    pool.query<{ id: string; display_name: string }>(AUTHORS, [
      [...new Set(rows.map((row) => row.author_id))],
    ]),
    pool.query<{ parent_id: string; count: number }>(REPLY_COUNTS, [ids]),
  ]);
  const names = new Map(authors.rows.map((row) => [row.id, row.display_name]));
  const replyCounts = new Map(counts.rows.map((row) => [row.parent_id, row.count]));
  return {
    data: {
      prompt: {
        responses: {
          edges: rows.map((row) => ({
            node: {
              author: { displayName: names.get(row.author_id) },
              replyCount: replyCounts.get(row.id) ?? 0,
            },
          })),
        },
      },
    },
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
    let promptId: unknown;
    try {
      promptId = JSON.parse(Buffer.concat(chunks).toString('utf8'))?.variables?.id;
    } catch {
      promptId = undefined;
    }
    if (typeof promptId !== 'string') return reply(400, { errors: [{ message: 'no id' }] });
    page(promptId, 50).then(
      (body) => reply(200, body),
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
