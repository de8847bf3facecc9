import { randomUUID } from 'node:crypto';
import { inIdRange, splitIdRange, WHOLE_RANGE } from './id-ranges.js';

describe('splitIdRange', () => {
  it('one part is the whole range', () => {
    expect(splitIdRange(1)).toEqual([WHOLE_RANGE]);
  });

  it('two parts meet in the middle of the UUID space', () => {
    expect(splitIdRange(2)).toEqual([
      { after: null, upTo: '7fffffff-ffff-ffff-ffff-ffffffffffff' },
      { after: '7fffffff-ffff-ffff-ffff-ffffffffffff', upTo: null },
    ]);
  });

  it('puts every id in exactly one part, and random ids about evenly', () => {
    const parts = splitIdRange(3);
    const counts = [0, 0, 0];
    const edges = [
      '00000000-0000-0000-0000-000000000000',
      'ffffffff-ffff-ffff-ffff-ffffffffffff',
      parts[0]!.upTo!,
      parts[1]!.upTo!,
    ];
    for (const id of [...edges, ...Array.from({ length: 3000 }, () => randomUUID())]) {
      const holders = parts.filter((range) => inIdRange(id, range));
      expect({ id, holders: holders.length }).toEqual({ id, holders: 1 });
      counts[parts.indexOf(holders[0]!)]! += 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });

  it('refuses a part count below one or not whole', () => {
    expect(() => splitIdRange(0)).toThrow(RangeError);
    expect(() => splitIdRange(1.5)).toThrow(RangeError);
  });
});
