import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { BadUserInput } from './errors.js';
import { isUuid } from './uuid.js';

export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'Page size, 1 to 100.' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  @IsOptional()
  @IsString()
  after?: string;
}

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage: boolean;

  @Field()
  hasPreviousPage: boolean;

  @Field(() => String, { nullable: true })
  startCursor: string | null;

  @Field(() => String, { nullable: true })
  endCursor: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

/** A Relay connection type for `node`: `XConnection { edges { cursor node } pageInfo }`. */
export function ConnectionType<T>(
  node: Type<T>,
  name = node.name.replace(/Model$/, ''),
): Type<Connection<T>> {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field()
    cursor: string;

    @Field(() => node)
    node: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionClass {
    @Field(() => [EdgeType])
    edges: EdgeType[];

    @Field(() => PageInfo)
    pageInfo: PageInfo;
  }
  return ConnectionClass as Type<Connection<T>>;
}

/** Where a keyset page starts: the sort key and id of the last row already seen. */
export interface KeysetPosition {
  key: string;
  id: string;
}

export function encodeCursor(position: KeysetPosition): string {
  return Buffer.from(JSON.stringify([position.key, position.id])).toString('base64url');
}

/**
 * The position a cursor names. Rows are keyed by uuid; `isKey` checks the sort
 * key, so a forged cursor is BAD_USER_INPUT rather than a database error.
 */
export function decodeCursor(
  cursor: string | undefined | null,
  isKey: (key: string) => boolean = () => true,
): KeysetPosition | undefined {
  if (cursor === undefined || cursor === null) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      typeof value[1] === 'string' &&
      isKey(value[0]) &&
      isUuid(value[1])
    ) {
      return { key: value[0], id: value[1] };
    }
  } catch {
    // fall through
  }
  throw new BadUserInput('The cursor is not one this API gave out.', 'after');
}

const TIMESTAMP_KEY = /^(\d{4,6})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{6}$/;

/** A UTC timestamp sort key as `to_char(…, 'YYYY-MM-DD"T"HH24:MI:SS.US')` writes it. */
export function isTimestampKey(key: string): boolean {
  const parts = TIMESTAMP_KEY.exec(key);
  if (!parts) return false;
  const [, year, month, day, hour, minute, second] = parts.map(Number) as number[];
  // PostgreSQL has no year 0; keys it wrote are years 1 to 9999.
  if (year! < 1 || year! > 9999) return false;
  const date = new Date(Date.UTC(year!, month! - 1, day!, hour, minute, second));
  date.setUTCFullYear(year!);
  return (
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}

const RANK_KEY = /^(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * A full-text rank sort key as PostgreSQL writes a `real` (`0.0607927`,
 * `1e-20`): a decimal that reads back as a `real` (0, or 1e-37 to 1e38).
 */
export function isRankKey(key: string): boolean {
  if (!RANK_KEY.test(key)) return false;
  const rank = Number(key);
  return rank === 0 || (rank >= 1e-37 && rank <= 1e38);
}

export function pageSize(first: number | undefined): number {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 1 || size > MAX_PAGE_SIZE) {
    throw new BadUserInput(`first must be between 1 and ${MAX_PAGE_SIZE}.`, 'first');
  }
  return size;
}

/**
 * Builds a connection from rows fetched with `LIMIT first + 1`, ordered by the
 * keyset the cursor encodes.
 */
export function toConnection<R, T>(
  rows: R[],
  first: number,
  hadCursor: boolean,
  position: (row: R) => KeysetPosition,
  toNode: (row: R) => T,
): Connection<T> {
  const page = rows.slice(0, first);
  const edges = page.map((row) => lazyEdge(toNode(row), () => encodeCursor(position(row))));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hadCursor,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
  };
}

/**
 * An edge whose cursor is written the first time it is read: most pages are
 * asked for without their cursors, and writing 50 costs more than the rest of
 * the connection.
 */
function lazyEdge<T>(node: T, writeCursor: () => string): Edge<T> {
  let cursor: string | undefined;
  return {
    node,
    get cursor() {
      return (cursor ??= writeCursor());
    },
  };
}

/** An empty page (a list the viewer may not see at all). */
export function emptyConnection<T>(): Connection<T> {
  return {
    edges: [],
    pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  };
}

/** The same page with each node mapped (entities to GraphQL models, in resolvers). */
export function mapConnection<A, B>(page: Connection<A>, toNode: (node: A) => B): Connection<B> {
  return {
    ...page,
    edges: page.edges.map((edge) => lazyEdge(toNode(edge.node), () => edge.cursor)),
  };
}

export interface PageQuery {
  first?: number;
  after?: string | null;
}

/**
 * How a list is ordered for keyset paging: a sort value, then the row's uuid,
 * compared as one row value, both in the same direction.
 */
export interface KeysetOrder {
  /** SQL of the sort value, e.g. `r.created_at`. */
  sortBy: string;
  /** SQL of the row's uuid, e.g. `r.id`. */
  id: string;
  /** SQL writing the sort value as a cursor key (text). */
  keyText: string;
  /** SQL reading a cursor key back from the named parameter, as a sort value. */
  keyValue: (param: string) => string;
  /** Whether a cursor's key is one `keyText` could have written. */
  isKey: (key: string) => boolean;
  descending: boolean;
}

/** Ordered by a timestamp (UTC, microseconds). */
export function timeOrder(sortBy: string, id: string, descending: boolean): KeysetOrder {
  return {
    sortBy,
    id,
    descending,
    keyText: `to_char(${sortBy} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`,
    keyValue: (param) => `CAST(${param} AS timestamp) AT TIME ZONE 'UTC'`,
    isKey: isTimestampKey,
  };
}

/** Ordered by a full-text rank (a `real`), best first. */
export function rankOrder(rank: string, id: string): KeysetOrder {
  return {
    sortBy: rank,
    id,
    descending: true,
    keyText: `(${rank})::text`,
    keyValue: (param) => `CAST(${param} AS real)`,
    isKey: isRankKey,
  };
}

/** One keyset page to fetch: checked page size and cursor, and the SQL that reads it. */
export interface KeysetPage {
  order: KeysetOrder;
  first: number;
  after: KeysetPosition | undefined;
  /** Rows after the cursor (an `AND` condition), or null on the first page. */
  afterSql: string | null;
  /** The parameters of `afterSql` and `:limit`. */
  params: Record<string, unknown>;
  /** `ORDER BY` of the keyset. */
  orderBy: string;
  /** `first + 1`: one row more than the page tells whether there is a next one. */
  limit: number;
}

/**
 * Checks the page size and the cursor (BAD_USER_INPUT for a bad one, before
 * anything is read) and plans the page.
 */
export function keysetPage(order: KeysetOrder, query: PageQuery): KeysetPage {
  const first = pageSize(query.first);
  const after = decodeCursor(query.after, order.isKey);
  return {
    order,
    first,
    after,
    afterSql: after
      ? `(${order.sortBy}, ${order.id}) ${order.descending ? '<' : '>'} (${order.keyValue(':afterKey')}, CAST(:afterId AS uuid))`
      : null,
    params: { ...(after ? { afterKey: after.key, afterId: after.id } : {}), limit: first + 1 },
    orderBy: keysetOrderBy(order),
    limit: first + 1,
  };
}

function keysetOrderBy(order: KeysetOrder): string {
  const direction = order.descending ? 'DESC' : 'ASC';
  return `${order.sortBy} ${direction}, ${order.id} ${direction}`;
}

/** A row read for a page, with the sort key its cursor carries. */
export interface KeyedRow<T> {
  node: T;
  id: string;
  sortKey: string;
}

/** The connection for rows read with `page` (at most `page.limit` of them, in its order). */
export function pageConnection<T>(
  page: Pick<KeysetPage, 'first' | 'after'>,
  rows: KeyedRow<T>[],
): Connection<T> {
  return toConnection(
    rows,
    page.first,
    Boolean(page.after),
    (row) => ({ key: row.sortKey, id: row.id }),
    (row) => row.node,
  );
}

/** Reads `page` of what a TypeORM query selects (its alias's `id` is the tiebreaker). */
export async function fetchPage<T extends ObjectLiteral & { id: string }>(
  qb: SelectQueryBuilder<T>,
  page: KeysetPage,
): Promise<Connection<T>> {
  const direction = page.order.descending ? 'DESC' : 'ASC';
  qb.addSelect(page.order.keyText, 'sort_key')
    .orderBy(page.order.sortBy, direction)
    .addOrderBy(page.order.id, direction)
    .limit(page.limit);
  if (page.afterSql) qb.andWhere(page.afterSql, page.params);
  const { entities, raw } = await qb.getRawAndEntities<{ sort_key: string }>();
  const keys = new Map(entities.map((row, index) => [row.id, raw[index]!.sort_key]));
  return pageConnection(
    page,
    entities.map((row) => ({ node: row, id: row.id, sortKey: keys.get(row.id)! })),
  );
}

/**
 * SQL for the first page of many lists in one statement (the batched variant,
 * for many parents at once): at most `:limit` rows per value of `partitionBy`,
 * each row with its `sort_key`. `alias` names the table inside and the result.
 */
export function firstPagesSql(
  order: KeysetOrder,
  source: { table: string; alias: string; where: string; partitionBy: string },
): string {
  const { table, alias, where, partitionBy } = source;
  return `SELECT ${alias}.*, ${order.keyText} AS sort_key FROM (
      SELECT ${alias}.*, ROW_NUMBER() OVER (PARTITION BY ${partitionBy} ORDER BY ${keysetOrderBy(order)}) AS keyset_rank
        FROM ${table} ${alias}
       WHERE ${where}
    ) ${alias}
    WHERE ${alias}.keyset_rank <= :limit
    ORDER BY ${keysetOrderBy(order)}`;
}

/** Splits rows read by `firstPagesSql` into one first page per owner, in the order asked. */
export function firstPages<T>(
  ownerIds: readonly string[],
  first: number,
  rows: KeyedRow<T>[],
  ownerOf: (node: T) => string | null,
): Connection<T>[] {
  const byOwner = new Map<string, KeyedRow<T>[]>(ownerIds.map((id) => [id, []]));
  for (const row of rows) {
    const owner = ownerOf(row.node);
    if (owner !== null) byOwner.get(owner)?.push(row);
  }
  return ownerIds.map((id) => pageConnection({ first, after: undefined }, byOwner.get(id) ?? []));
}
