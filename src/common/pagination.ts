import { Type } from '@nestjs/common';
import { ArgsType, Field, Int, ObjectType } from '@nestjs/graphql';
import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
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
  const edges = page.map((row) => ({ cursor: encodeCursor(position(row)), node: toNode(row) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: hadCursor,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}
