import { InFlight } from './in-flight.js';

/** A promise and the hands that settle it. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('InFlight', () => {
  it('never holds more than its limit, and lets waiting items in as a group once half the places are free', async () => {
    const groups: number[][] = [];
    const works = new Map<number, ReturnType<typeof deferred<string>>>();
    const inFlight = new InFlight<number, string>({
      limit: 4,
      start: (items) => {
        groups.push(items);
        return Promise.resolve(
          items.map((item) => {
            const work = deferred<string>();
            works.set(item, work);
            return work.promise;
          }),
        );
      },
    });
    const results = Promise.allSettled(inFlight.add([1, 2, 3, 4, 5, 6, 7]));
    await tick();
    expect(groups).toEqual([[1, 2, 3, 4]]);
    expect(inFlight.size).toBe(4);

    works.get(1)!.resolve('one');
    await tick();
    // One place free: less than half, so 5 waits.
    expect(groups).toHaveLength(1);
    expect(inFlight.size).toBe(3);

    works.get(2)!.reject(new Error('two failed'));
    await tick();
    expect(groups).toEqual([
      [1, 2, 3, 4],
      [5, 6],
    ]);
    expect(inFlight.size).toBe(4);

    for (const item of [3, 4, 5, 6]) works.get(item)!.resolve(String(item));
    await tick();
    // The last one waiting fits: it goes in alone.
    expect(groups.at(-1)).toEqual([7]);
    works.get(7)!.resolve('7');
    expect(await results).toEqual([
      { status: 'fulfilled', value: 'one' },
      { status: 'rejected', reason: new Error('two failed') },
      ...['3', '4', '5', '6', '7'].map((value) => ({ status: 'fulfilled', value })),
    ]);
    expect(inFlight.size).toBe(0);
  });

  it('a group that cannot start fails its items and frees their places', async () => {
    let calls = 0;
    const inFlight = new InFlight<number, number>({
      limit: 2,
      start: (items) => {
        calls += 1;
        return calls === 1
          ? Promise.reject(new Error('no claim'))
          : Promise.resolve(items.map((item) => Promise.resolve(item * 10)));
      },
    });
    const first = inFlight.add([1, 2]);
    await expect(first[0]).rejects.toThrow('no claim');
    await expect(first[1]).rejects.toThrow('no claim');
    expect(inFlight.size).toBe(0);
    expect(await Promise.all(inFlight.add([3]))).toEqual([30]);
  });
});
