import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { BadUserInput } from '../common/errors.js';
import { RateLimits, type RateRule } from '../common/rate-limits.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { UserEntity } from '../users/user.entity.js';
import { ResponsesRepository } from './responses.repository.js';
import { DuplicateResponse } from './responses.errors.js';

/** How deep a thread goes: a response, then replies to replies. */
export const MAX_THREAD_DEPTH = 5;

/**
 * What a writer may post and how often: the body's length, the rate limits
 * and the duplicate check. Every limit of responses is here.
 */
@Injectable()
export class ResponseLimits {
  private readonly burst: RateRule;
  private readonly hourly: RateRule;
  private readonly previews: RateRule;

  constructor(
    @Inject(APP_CONFIG) private readonly config: RuntimeConfig,
    private readonly rateLimits: RateLimits,
    private readonly repository: ResponsesRepository,
    private readonly clock: Clock,
  ) {
    const limits = config.rateLimits;
    this.burst = {
      name: 'response-burst',
      points: 1,
      durationSeconds: limits.responseIntervalSeconds,
    };
    this.hourly = {
      name: 'response-hourly',
      points: limits.responsesPerHour,
      durationSeconds: 3600,
    };
    this.previews = {
      name: 'markdown-preview',
      points: limits.previewPerClientPerMinute,
      durationSeconds: 60,
    };
  }

  /** The trimmed body, or BAD_USER_INPUT when it is empty or too long. */
  validBody(raw: string): string {
    const body = typeof raw === 'string' ? raw.trim() : '';
    const max = this.config.responses.maxLength;
    if (body.length === 0) throw new BadUserInput('The response is empty.', 'body');
    if (body.length > max) {
      throw new BadUserInput(`The response is longer than ${max} characters.`, 'body');
    }
    return body;
  }

  /** Refuses the same body to the same prompt within the duplicate window. */
  async refuseDuplicate(viewer: UserEntity, promptId: string, body: string): Promise<void> {
    if (await this.isDuplicate(viewer, promptId, body)) throw new DuplicateResponse();
  }

  /** Whether refuseDuplicate would refuse it (for callers that weigh it with other checks). */
  async isDuplicate(viewer: UserEntity, promptId: string, body: string): Promise<boolean> {
    if (!this.config.rateLimits.enabled) return false;
    const since = new Date(
      this.clock.now().getTime() - this.config.rateLimits.duplicateWindowMinutes * 60_000,
    );
    return this.repository.hasRecentDuplicate(viewer.id, promptId, body, since);
  }

  /** Counts one post against the writer's burst and hourly limits. */
  async countPost(viewer: UserEntity): Promise<void> {
    await this.rateLimits.consumeInOrder([this.burst, this.hourly], viewer.id);
  }

  /** Counts one markdown preview against the client's limit. */
  async countPreview(clientKey: string): Promise<void> {
    await this.rateLimits.consume(this.previews, clientKey);
  }
}
