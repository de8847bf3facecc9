import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isIP } from 'node:net';
import { escapeHtml, htmlPage, PAGE_HEADERS } from '../common/html-page.js';
import { MailTransport } from './mail.transport.js';
import { readOutbox } from './outbox.js';

/**
 * GET /dev/outbox: the mail a fresh machine wrote to DATA_DIR/outbox, readable,
 * with working links. Registered only outside production and without SMTP_URL,
 * and shown only to this machine: a development server listening on 0.0.0.0
 * must not hand its sign-in links to the network.
 */
@Controller('dev/outbox')
export class DevOutboxController {
  constructor(@Inject(MailTransport) private readonly transport: MailTransport) {}

  @Get()
  async list(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!isLoopback(request.ip)) {
      void reply.code(404).headers(PAGE_HEADERS).send(htmlPage('Not found', '<h1>Not found</h1>'));
      return;
    }
    const dir = this.transport.outboxDir!;
    const messages = await readOutbox(dir);
    const items = messages.map(
      (message) => `<article>
<h2>${escapeHtml(message.subject)}</h2>
<p>To <strong>${escapeHtml(message.to)}</strong>${message.date ? `, ${escapeHtml(message.date.toISOString())}` : ''}</p>
<ul>${message.links.map((link) => `<li><a href="${escapeHtml(link)}">${escapeHtml(link)}</a></li>`).join('')}</ul>
<details><summary>Text</summary><pre>${escapeHtml(message.text)}</pre></details>
<p><code>${escapeHtml(message.file)}</code></p>
</article>`,
    );
    const body = `<h1>Outbox</h1>
<p>Mail is written to <code>${escapeHtml(dir)}</code> (set SMTP_URL to send it). Newest first.</p>
${items.length ? items.join('<hr>') : '<p>No mail yet.</p>'}`;
    void reply.code(200).headers(PAGE_HEADERS).send(htmlPage('Outbox', body));
  }
}

/** 127.0.0.0/8 and ::1, also as IPv4-mapped IPv6 addresses. */
function isLoopback(address: string): boolean {
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(plain) === 4) return plain.startsWith('127.');
  return plain === '::1';
}
