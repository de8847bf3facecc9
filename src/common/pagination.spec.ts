import { BadUserInput } from './errors.js';
import {
  encodeCursor,
  firstPages,
  keysetPage,
  mapConnection,
  rankOrder,
  timeOrder,
} from './pagination.js';

const ID = '7d2c0a9e-5b1f-4c3e-9a8d-2f6b4e1c0a11';
const NEWEST = timeOrder('r.created_at', 'r.id', true);
const OLDEST = timeOrder('r.created_at', 'r.id', false);

describe('keysetPage', () => {
  it('reads one row more than the page, and no cursor condition on the first page', () => {
    const page = keysetPage(NEWEST, { first: 5 });
    expect(page.limit).toBe(6);
    expect(page.afterSql).toBeNull();
    expect(page.params).toEqual({ limit: 6 });
    expect(page.orderBy).toBe('r.created_at DESC, r.id DESC');
  });

  it('compares the row value in the direction of the order', () => {
    const after = encodeCursor({ key: '2026-11-27T10:00:00.000000', id: ID });
    const newest = keysetPage(NEWEST, { first: 2, after });
    const oldest = keysetPage(OLDEST, { first: 2, after });
    expect(newest.afterSql).toContain('(r.created_at, r.id) < (');
    expect(oldest.afterSql).toContain('(r.created_at, r.id) > (');
    expect(newest.params).toEqual({
      afterKey: '2026-11-27T10:00:00.000000',
      afterId: ID,
      limit: 3,
    });
  });

  it.each([
    ['not base64 JSON', 'nonsense'],
    ['year 0000', encodeCursor({ key: '0000-01-01T00:00:00.000000', id: ID })],
    ['a day that does not exist', encodeCursor({ key: '2026-02-30T00:00:00.000000', id: ID })],
    ['a rank key in a time order', encodeCursor({ key: '0.5', id: ID })],
    ['an id that is not a uuid', encodeCursor({ key: '2026-11-27T10:00:00.000000', id: 'x' })],
  ])('refuses a cursor that is %s as BAD_USER_INPUT', (_, after) => {
    expect(() => keysetPage(NEWEST, { first: 2, after })).toThrow(BadUserInput);
  });

  it('refuses a time key in a rank order, and a page size out of range', () => {
    const timeKey = encodeCursor({ key: '2026-11-27T10:00:00.000000', id: ID });
    expect(() => keysetPage(rankOrder('rank', 'r.id'), { after: timeKey })).toThrow(BadUserInput);
    expect(() => keysetPage(NEWEST, { first: 0 })).toThrow(BadUserInput);
    expect(() => keysetPage(NEWEST, { first: 101 })).toThrow(BadUserInput);
  });
});

describe('firstPages', () => {
  it('splits rows into one page per owner, in the order asked, each telling if there is more', () => {
    const row = (owner: string, n: number) => ({
      node: { owner, n },
      id: ID,
      sortKey: `2026-11-27T10:00:0${n}.000000`,
    });
    const pages = firstPages(
      ['b', 'a', 'none'],
      1,
      [row('a', 1), row('b', 2), row('a', 3)],
      (node) => node.owner,
    );
    expect(pages.map((page) => page.edges.map((edge) => edge.node.n))).toEqual([[2], [1], []]);
    expect(pages.map((page) => page.pageInfo.hasNextPage)).toEqual([false, true, false]);
    const mapped = mapConnection(pages[1]!, (node) => node.n * 10);
    expect(mapped.edges[0]!.node).toBe(10);
    expect(mapped.pageInfo).toEqual(pages[1]!.pageInfo);
  });
});
