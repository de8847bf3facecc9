export interface InFlightOptions<T, R> {
  /** Most items in hand at once. */
  limit: number;
  /**
   * Takes up a group of items (one round trip for all of them) and answers,
   * for each, in order, the work that ends it; an item's place is free again
   * when its work settles.
   */
  start(items: T[]): Promise<Promise<R>[]>;
}

/**
 * Items worked on at most `limit` at a time, taken up in groups: they wait
 * their turn and are let in together once at least half the places are free
 * (or every waiting item fits), so that a cost paid per group, such as a
 * claim statement, is paid once for several items, while no more than
 * `limit` are ever in hand.
 */
export class InFlight<T, R> {
  private readonly waiting: { item: T; resolve(value: R): void; reject(error: unknown): void }[] =
    [];
  private inHand = 0;
  private readonly minGroup: number;

  constructor(private readonly options: InFlightOptions<T, R>) {
    this.minGroup = Math.ceil(options.limit / 2);
  }

  /** How many items are in hand now (taken up, not yet settled). */
  get size(): number {
    return this.inHand;
  }

  add(items: T[]): Promise<R>[] {
    const settled = items.map(
      (item) => new Promise<R>((resolve, reject) => this.waiting.push({ item, resolve, reject })),
    );
    this.admit();
    return settled;
  }

  private admit(): void {
    const free = this.options.limit - this.inHand;
    const count = Math.min(free, this.waiting.length);
    if (count === 0 || count < Math.min(this.minGroup, this.waiting.length)) return;
    const group = this.waiting.splice(0, count);
    this.inHand += count;
    const release = () => {
      this.inHand -= 1;
      this.admit();
    };
    this.options.start(group.map((entry) => entry.item)).then(
      (works) =>
        group.forEach((entry, i) => {
          works[i]!.then(entry.resolve, entry.reject).finally(release);
        }),
      (error: unknown) =>
        group.forEach((entry) => {
          entry.reject(error);
          release();
        }),
    );
  }
}
