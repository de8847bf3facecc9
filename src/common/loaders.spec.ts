import { defineLoader, RequestLoaders } from './loaders.js';

describe('per-request loaders', () => {
  const calls: string[] = [];
  const doubled = defineLoader(async (keys: readonly number[], label: string) => {
    calls.push(`${label}:${keys.join(',')}`);
    return keys.map((key) => `${label}${key * 2}`);
  });
  beforeEach(() => calls.splice(0));

  it('batches the loads of one kind with the same arguments into one call', async () => {
    const loaders = new RequestLoaders();
    const values = await Promise.all([
      loaders.get(doubled, 'a').load(1),
      loaders.get(doubled, 'a').load(2),
    ]);
    expect(values).toEqual(['a2', 'a4']);
    expect(calls).toEqual(['a:1,2']);
    expect(loaders.get(doubled, 'a')).toBe(loaders.get(doubled, 'a'));
  });

  it('keeps other arguments and other kinds apart', async () => {
    const loaders = new RequestLoaders();
    const tripled = defineLoader(async (keys: readonly number[], label: string) =>
      keys.map((key) => `${label}${key * 3}`),
    );
    expect(
      await Promise.all([
        loaders.get(doubled, 'a').load(1),
        loaders.get(doubled, 'b').load(1),
        loaders.get(tripled, 'a').load(1),
      ]),
    ).toEqual(['a2', 'b2', 'a3']);
    expect(calls.sort()).toEqual(['a:1', 'b:1']);
  });

  it('caches within one set only: a fresh set loads again', async () => {
    const first = new RequestLoaders();
    await first.get(doubled, 'a').load(1);
    await first.get(doubled, 'a').load(1);
    await new RequestLoaders().get(doubled, 'a').load(1);
    expect(calls).toEqual(['a:1', 'a:1']);
  });
});
