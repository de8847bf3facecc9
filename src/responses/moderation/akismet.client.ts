import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/config.module.js';
import type { RuntimeConfig } from '../../config/runtime.js';

export type SpamVerdict = 'spam' | 'ham';

export interface CommentFacts {
  permalink: string;
  authorName: string;
  authorEmail: string;
  content: string;
  createdAt: Date;
}

/** Thrown when the service gave no usable answer (the job retries, then holds). */
export class SpamCheckUnanswered extends Error {}

/**
 * An Akismet-compatible `comment-check` call (AKISMET_URL, the public service
 * by default). Only a worker calls it, never a request.
 */
@Injectable()
export class AkismetClient {
  constructor(@Inject(APP_CONFIG) private readonly config: RuntimeConfig) {}

  get enabled(): boolean {
    return Boolean(this.config.moderation.akismet.key);
  }

  async check(facts: CommentFacts): Promise<SpamVerdict> {
    const { key, url, timeoutMs } = this.config.moderation.akismet;
    const form = new URLSearchParams({
      api_key: key ?? '',
      blog: this.config.publicUrl,
      permalink: facts.permalink,
      comment_type: 'reply',
      comment_author: facts.authorName,
      comment_author_email: facts.authorEmail,
      comment_content: facts.content,
      comment_date_gmt: facts.createdAt.toISOString(),
      // We keep no reader's address to send; the service weighs the rest.
      user_ip: '',
    });
    let response: Response;
    try {
      response = await fetch(`${url}/1.1/comment-check`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form,
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw new SpamCheckUnanswered(`spam check unanswered: ${String(error)}`);
    }
    const text = (await response.text()).trim();
    if (response.ok && text === 'true') return 'spam';
    if (response.ok && text === 'false') return 'ham';
    const hint = response.headers.get('x-akismet-debug-help') ?? text.slice(0, 100);
    throw new SpamCheckUnanswered(`spam check answered ${response.status}: ${hint}`);
  }
}
