/**
 * Start-up cannot go on, for a reason the operator can fix (a port in use, a
 * database that does not answer): its message is one line saying what is wrong
 * and what to do, printed without a stack trace (exit code 78, as for a bad
 * configuration).
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
