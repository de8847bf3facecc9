/*
 * The collaborator_interests table's part of other features' statements (see
 * src/users/users.repository.ts): the review queue's `hasInterest` filter
 * splices this in through ReviewQueueInterest, so responses never names the table.
 */

/** SQL true when the reader `readerIdColumn` names offered to collaborate on the essay `essayIdColumn` names. */
export function interestExistsSql(essayIdColumn: string, readerIdColumn: string): string {
  return `EXISTS (SELECT 1 FROM collaborator_interests ci
          WHERE ci.essay_id = ${essayIdColumn} AND ci.reader_id = ${readerIdColumn})`;
}
