import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  json: { id: string; type: string; data: Record<string, any>; [key: string]: unknown };
  /** The status the receiver answered. */
  status: number;
}

export interface WebhookReceiver {
  url: string;
  /** Every POST, in arrival order, failed ones included. */
  received: ReceivedWebhook[];
  /** Those answered 2xx. */
  accepted(): ReceivedWebhook[];
  /** Answers the next `count` POSTs with 500. */
  failNext(count: number): void;
  /** Keeps the next POST waiting, unanswered, until release(). */
  holdNext(): void;
  held(): number;
  release(): void;
  close(): Promise<void>;
}

/** A real HTTP server that takes webhooks the way an author's own system would. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  let failures = 0;
  let holdNext = false;
  const waiting: ServerResponse[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (holdNext) {
        holdNext = false;
        waiting.push(response);
        return;
      }
      const status = failures > 0 ? 500 : 200;
      if (failures > 0) failures -= 1;
      received.push({ headers: request.headers, body, json: JSON.parse(body), status });
      response
        .writeHead(status, { 'content-type': 'text/plain' })
        .end(status === 200 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const release = () => {
    for (const response of waiting.splice(0)) response.destroy();
  };
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    accepted: () => received.filter((hook) => hook.status === 200),
    failNext(count) {
      failures = count;
    },
    holdNext() {
      holdNext = true;
    },
    held: () => waiting.length,
    release,
    async close() {
      release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
