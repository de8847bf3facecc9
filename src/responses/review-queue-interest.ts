import { Injectable } from '@nestjs/common';

/** Collaborator interest's part of the review queue's `hasInterest` filter. */
export interface InterestCondition {
  /** SQL true when the reader offered to collaborate on the essay (columns of the caller's statement). */
  existsSql(essayIdColumn: string, readerIdColumn: string): string;
}

/**
 * The review queue filters by collaborator interest in its one keyset
 * statement. Interest supplies the condition while the application starts
 * (it imports responses, so responses cannot import it); filtering before
 * that is a wiring error.
 */
@Injectable()
export class ReviewQueueInterest {
  private condition: InterestCondition | null = null;

  supply(condition: InterestCondition): void {
    if (this.condition) throw new Error('Two features supply the review queue’s interest filter.');
    this.condition = condition;
  }

  existsSql(essayIdColumn: string, readerIdColumn: string): string {
    if (!this.condition) throw new Error('No feature supplies the review queue’s interest filter.');
    return this.condition.existsSql(essayIdColumn, readerIdColumn);
  }
}
