import { SMTPServer } from 'smtp-server';

/*
 * The SMTP server the digest benchmark sends to: it accepts every message,
 * counts it and its bytes, and keeps nothing. Started by bench/digest.ts as a
 * child process, so its CPU is not charged to the processes measured; it
 * reports its port over IPC and answers "count" with what it has received.
 */

export interface SinkCount {
  messages: number;
  bytes: number;
}

let messages = 0;
let bytes = 0;

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  // A reverse DNS look-up per connection would dominate un-pooled sending.
  disableReverseLookup: true,
  logger: false,
  onData(stream, _session, callback) {
    let size = 0;
    stream.on('data', (chunk: Buffer) => (size += chunk.length));
    stream.on('end', () => {
      messages += 1;
      bytes += size;
      callback();
    });
  },
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.server.address() as { port: number };
  process.send!({ port });
});

process.on('message', (message) => {
  if (message === 'count') process.send!({ messages, bytes } satisfies SinkCount);
});
process.on('disconnect', () => process.exit(0));
