import { appendFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/*
 * Loaded into an app process with `--import` by bench/api.ts (never in
 * production): with BENCH_CAPTURE_FILE set, every statement
 * the app sends through `pg` is appended to that file as one JSON line: its text,
 * parameters, the connection it ran on and when it started and ended. The
 * benchmark sends one request, then replays what it ran in the baseline server.
 */

export interface CapturedStatement {
  text: string;
  values: unknown[];
  /** Which pg client (connection) ran it: a transaction's statements share one. */
  client: number;
  startedAt: number;
  endedAt: number;
}

const file = process.env.BENCH_CAPTURE_FILE;
if (file) {
  const pg = createRequire(import.meta.url)('pg') as {
    Client: { prototype: { query: (...args: unknown[]) => unknown } };
  };
  const clients = new WeakMap<object, number>();
  let nextClient = 1;
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function query(this: object, ...args: unknown[]) {
    const [first, second] = args;
    const config = (typeof first === 'string' ? { text: first } : first) as {
      text?: string;
      values?: unknown[];
    };
    const text = config?.text;
    if (typeof text !== 'string') return original.apply(this, args);
    if (!clients.has(this)) clients.set(this, nextClient++);
    const values = Array.isArray(second) ? second : (config.values ?? []);
    const startedAt = performance.now();
    const record = () =>
      appendFileSync(
        file,
        `${JSON.stringify({
          text,
          values: values.map((value) => (value instanceof Date ? value.toISOString() : value)),
          client: clients.get(this)!,
          startedAt,
          endedAt: performance.now(),
        } satisfies CapturedStatement)}\n`,
      );
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      args[last] = (...results: unknown[]) => {
        record();
        return (callback as (...results: unknown[]) => unknown)(...results);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(record, record);
    }
    return result;
  };
}
