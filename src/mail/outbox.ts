import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface OutboxMessage {
  file: string;
  subject: string;
  to: string;
  date?: Date;
  /** Every http(s) link in the message, decoded (no quoted-printable `=3D`). */
  links: string[];
  text: string;
}

const LINK = /https?:\/\/[^\s<>"'()[\]]+/g;

/** The links in a message's text, in order, each once. */
export function linksIn(text: string): string[] {
  return [...new Set(text.match(LINK) ?? [])];
}

/** The newest messages in the outbox folder, decoded; none when it does not exist yet. */
export async function readOutbox(dir: string, limit = 50): Promise<OutboxMessage[]> {
  let files: string[];
  try {
    files = (await readdir(dir)).filter((file) => file.endsWith('.eml'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  // File names start with the time they were written, so newest last.
  const newest = files.sort().reverse().slice(0, limit);
  const { simpleParser } = await import('mailparser'); // only this dev page needs it
  return Promise.all(
    newest.map(async (file) => {
      const mail = await simpleParser(await readFile(join(dir, file)));
      const to = Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : mail.to?.text;
      const text = mail.text ?? '';
      return {
        file,
        subject: mail.subject ?? '',
        to: to ?? '',
        date: mail.date,
        links: linksIn(text),
        text,
      };
    }),
  );
}
