import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { linksIn } from './outbox.js';

export interface OutgoingMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers?: Record<string, string>;
}

/**
 * SMTP when SMTP_URL is set (a pool of SMTP_POOL_SIZE connections); otherwise
 * each message becomes an .eml file in DATA_DIR/outbox.
 */
@Injectable()
export class MailTransport implements OnApplicationShutdown {
  private readonly logger = new Logger(MailTransport.name);
  private readonly transporter: Transporter;
  readonly outboxDir?: string;

  constructor(@Inject(APP_CONFIG) private readonly config: RuntimeConfig) {
    if (config.smtpUrl) {
      // A pool keeps connections open between messages: without it every
      // message pays for its own connect, greeting, EHLO and QUIT.
      const poolSize = config.mail.smtpPoolSize;
      this.transporter = nodemailer.createTransport(
        poolSize > 0
          ? { url: config.smtpUrl, pool: true, maxConnections: poolSize }
          : config.smtpUrl,
      );
    } else {
      this.outboxDir = resolve(config.dataDir, 'outbox');
      this.transporter = nodemailer.createTransport({
        streamTransport: true,
        buffer: true,
        newline: 'unix',
      });
    }
  }

  describe(): string {
    return this.config.smtpUrl
      ? `SMTP ${redact(this.config.smtpUrl)}`
      : `.eml files in ${this.outboxDir}`;
  }

  async send(message: OutgoingMessage): Promise<void> {
    const info = await this.transporter.sendMail({
      from: this.config.mailFrom,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      messageId: message.messageId,
      headers: message.headers,
    });
    if (this.outboxDir) {
      await mkdir(this.outboxDir, { recursive: true });
      const file = resolve(
        this.outboxDir,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${message.messageId.replace(/[^\w.-]/g, '')}.eml`,
      );
      await writeFile(file, (info as { message: Buffer }).message);
      this.logger.log(`mail to ${message.to} ("${message.subject}") written to ${file}`);
      // The .eml is quoted-printable (a link copied from it reads `=3D`): show the links as sent.
      if (!this.config.isProduction)
        for (const link of linksIn(message.text)) this.logger.log(`  link: ${link}`);
    }
  }

  /** At the very end: the mail worker finishes its sends before shutdown hooks run. */
  onApplicationShutdown(): void {
    this.transporter.close();
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
