/** What one item of a batch came to. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface BatchesOptions<T, R> {
  /** Most items in one batch. */
  maxSize: number;
  /** Most batches running at once; items arriving meanwhile wait and form the next. */
  maxRunning: number;
  /** How long the first item of a batch waits for others to join it. */
  lingerMs: number;
  /** Runs one batch; answers for each item, in order. */
  run(items: T[]): Promise<Settled<R>[]>;
}

/**
 * Gathers items that arrive close together (the jobs one worker runs at the
 * same moment) into batches, so that work with a fixed cost per round trip,
 * such as a query by id, is paid once per batch instead of once per item.
 */
export class Batches<T, R> {
  private waiting: { item: T; resolve(value: R): void; reject(error: unknown): void }[] = [];
  private running = 0;
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: BatchesOptions<T, R>) {}

  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.waiting.length === 0 || this.running >= this.options.maxRunning) return;
    if (this.waiting.length >= this.options.maxSize) this.start();
    else this.timer ??= setTimeout(() => this.start(), this.options.lingerMs);
  }

  private start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.waiting.length === 0 || this.running >= this.options.maxRunning) return;
    const batch = this.waiting.splice(0, this.options.maxSize);
    this.running += 1;
    this.options
      .run(batch.map((entry) => entry.item))
      .then(
        (results) =>
          batch.forEach((entry, i) => {
            const result = results[i]!;
            if (result.ok) entry.resolve(result.value);
            else entry.reject(result.error);
          }),
        (error: unknown) => batch.forEach((entry) => entry.reject(error)),
      )
      .finally(() => {
        this.running -= 1;
        this.schedule();
      });
  }
}
