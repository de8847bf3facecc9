import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';

export interface EssayLinkable {
  slug: string;
  canonicalUrl: string | null;
}

/** Every link and list header a message carries, built in one place. */
@Injectable()
export class MailLinks {
  private readonly host: string;
  private readonly mailDomain: string;

  constructor(@Inject(APP_CONFIG) private readonly config: RuntimeConfig) {
    this.host = new URL(config.publicUrl).hostname;
    this.mailDomain = /@([^>\s]+)/.exec(config.mailFrom)?.[1] ?? this.host;
  }

  /** The essay's own page: its canonical URL when it has one, else ESSAY_URL_TEMPLATE. */
  essay(essay: EssayLinkable): string {
    return (
      essay.canonicalUrl ??
      this.config.mail.essayUrlTemplate.replace('{slug}', encodeURIComponent(essay.slug))
    );
  }

  response(essay: EssayLinkable, responseId: string): string {
    return `${this.essay(essay)}#response-${responseId}`;
  }

  confirm(token: string): string {
    return `${this.config.publicUrl}/subscriptions/confirm?token=${encodeURIComponent(token)}`;
  }

  manage(token: string): string {
    return `${this.config.publicUrl}/subscriptions/manage?token=${encodeURIComponent(token)}`;
  }

  unsubscribe(token: string): string {
    return `${this.config.publicUrl}/subscriptions/unsubscribe?token=${encodeURIComponent(token)}`;
  }

  /** Stops one kind of notification: reply emails, or the author's review digest. */
  notificationsOff(list: 'replies' | 'review', token: string): string {
    return `${this.config.publicUrl}/notifications/unsubscribe?list=${list}&token=${encodeURIComponent(token)}`;
  }

  get postalAddress(): string {
    return this.config.mail.postalAddress;
  }

  /**
   * RFC 2369 / RFC 8058 headers for bulk mail: one-click unsubscribe by an
   * HTTPS POST, a mailto fallback, and the list's id.
   */
  bulkHeaders(
    unsubscribeUrl: string,
    list: 'digest' | 'notices' | 'review',
  ): Record<string, string> {
    const token = new URL(unsubscribeUrl).searchParams.get('token') ?? '';
    const mailto = `mailto:unsubscribe@${this.mailDomain}?subject=${encodeURIComponent(`unsubscribe ${token}`)}`;
    return {
      'List-Unsubscribe': `<${unsubscribeUrl}>, <${mailto}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `Rizom Conversations ${list} <${list}.${this.host}>`,
    };
  }
}
