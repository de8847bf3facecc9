import { Limiter } from './limiter.js';

describe('Limiter', () => {
  it('runs at most its limit at once, the rest in order as places free up, and a failure frees its place', async () => {
    const limiter = new Limiter(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (n: number) => async () => {
      running += 1;
      most = Math.max(most, running);
      order.push(n);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      if (n === 2) throw new Error('two failed');
      return n;
    };
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((n) => limiter.run(task(n))));
    expect(most).toBe(2);
    expect(order).toEqual([1, 2, 3, 4, 5]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([
      1,
      'failed',
      3,
      4,
      5,
    ]);
    // Every place was given back.
    expect(await Promise.all([limiter.run(task(6)), limiter.run(task(7))])).toEqual([6, 7]);
    expect(most).toBe(2);
  });
});
