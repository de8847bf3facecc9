import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';

export interface OutgoingMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
  headers?: Record<string, string>;
}

/** SMTP when SMTP_URL is set; otherwise each message becomes an .eml file in DATA_DIR/outbox. */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private readonly logger = new Logger(MailTransport.name);
  private readonly transporter: Transporter;
  readonly outboxDir?: string;

  constructor(@Inject(APP_CONFIG) private readonly config: RuntimeConfig) {
    if (config.smtpUrl) {
      this.transporter = nodemailer.createTransport(config.smtpUrl);
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
      this.logger.log(`mail to ${message.to} written to ${file}`);
    }
  }

  onModuleDestroy(): void {
    this.transporter.close();
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
