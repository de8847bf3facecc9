import nodemailer, { type Transporter } from 'nodemailer';

/*
 * The baseline of the digest benchmark: plain nodemailer, a pooled SMTP
 * transport, sending a given message to `count` recipients with `concurrency`
 * messages in flight. No database, no queue, no templates. Started by
 * bench/digest.ts as a child process: it receives its task over IPC, answers
 * "ready", sends on "go" and answers with what it sent.
 */

export interface SenderTask {
  smtpUrl: string;
  from: string;
  message: { subject: string; text: string; html: string; headers?: Record<string, string> };
  firstIndex: number;
  count: number;
  concurrency: number;
}

export interface SenderResult {
  sent: number;
  failed: number;
  firstError?: string;
}

process.once('message', (task: SenderTask) => {
  const transport = nodemailer.createTransport({
    url: task.smtpUrl,
    pool: true,
    maxConnections: task.concurrency,
  });
  process.once('message', () => {
    void sendAll(transport, task).then((result) => {
      transport.close();
      process.send!(result);
    });
  });
  process.send!('ready');
});
process.on('disconnect', () => process.exit(0));

async function sendAll(transport: Transporter, task: SenderTask): Promise<SenderResult> {
  const result: SenderResult = { sent: 0, failed: 0 };
  let next = 0;
  const lane = async () => {
    while (next < task.count) {
      const index = task.firstIndex + next++;
      try {
        await transport.sendMail({
          from: task.from,
          to: `plain-${index}@bench.test`,
          subject: task.message.subject,
          text: task.message.text,
          html: task.message.html,
          headers: task.message.headers,
          messageId: `<plain-${index}@bench.test>`,
        });
        result.sent += 1;
      } catch (error) {
        result.failed += 1;
        result.firstError ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: task.concurrency }, lane));
  return result;
}
