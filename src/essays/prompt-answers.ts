import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Which prompts have answers: the responses feature supplies it (essays imports nothing of responses). */
export interface AnsweredPrompts {
  /** In `manager`'s transaction: the ids among `promptIds` that have a response (any order). */
  answeredPromptIds(manager: EntityManager, promptIds: readonly string[]): Promise<string[]>;
}

/**
 * Re-importing an essay deletes the prompts its source no longer asks, but
 * never an answered one. Responses registers the check while the application
 * starts; asking before that is a wiring error.
 */
@Injectable()
export class PromptAnswers {
  private source: AnsweredPrompts | null = null;

  supply(source: AnsweredPrompts): void {
    if (this.source) throw new Error('Two features supply the answers of prompts.');
    this.source = source;
  }

  answered(manager: EntityManager, promptIds: readonly string[]): Promise<string[]> {
    if (!this.source) throw new Error('No feature supplies the answers of prompts.');
    return this.source.answeredPromptIds(manager, promptIds);
  }
}
