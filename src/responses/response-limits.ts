import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { BadUserInput } from '../common/errors.js';
import { RateLimits, type RateRule } from '../common/rate-limits.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { RuntimeConfig } from '../config/runtime.js';
import { ReaderBanned } from '../users/bans.service.js';
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
    if (!this.config.rateLimits.enabled) return;
    const since = this.duplicateWindowStart();
    if (await this.repository.hasRecentDuplicate(viewer.id, promptId, body, since)) {
      throw new DuplicateResponse();
    }
  }

  /**
   * The writer's ban (moderation) and refuseDuplicate's check in one
   * statement, refused in that order.
   */
  async refuseBannedOrDuplicate(viewer: UserEntity, promptId: string, body: string): Promise<void> {
    const checks = await this.repository.postingChecks(
      viewer.id,
      promptId,
      body,
      this.duplicateWindowStart(),
    );
    if (checks.banned) throw new ReaderBanned();
    if (checks.duplicate && this.config.rateLimits.enabled) throw new DuplicateResponse();
  }

  /** Counts one post against the writer's burst and hourly limits. */
  async countPost(viewer: UserEntity): Promise<void> {
    await this.rateLimits.consumeInOrder([this.burst, this.hourly], viewer.id);
  }

  private duplicateWindowStart(): Date {
    const windowMs = this.config.rateLimits.duplicateWindowMinutes * 60_000;
    return new Date(this.clock.now().getTime() - windowMs);
  }

  /** Counts one markdown preview against the client's limit. */
  async countPreview(clientKey: string): Promise<void> {
    await this.rateLimits.consume(this.previews, clientKey);
  }
}
