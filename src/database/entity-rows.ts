import type { DataSource, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';

export type EntityRowMapper<T> = (row: Record<string, unknown>) => T;

/**
 * Turns rows of `SELECT alias.*` into entities the way TypeORM would (each
 * column through the driver's hydration, so types and transformers are the
 * same), without its alias bookkeeping and grouping. For hot read paths that
 * run plain SQL: there, building the query and hydrating cost more than the
 * query itself.
 */
export function entityRowMapper<T extends ObjectLiteral>(
  dataSource: DataSource,
  target: EntityTarget<T>,
): EntityRowMapper<T> {
  let metadata: EntityMetadata | undefined;
  let setters: ColumnSetter[] = [];
  return (row) => {
    // Looked up on first use: the data source may not be initialised when a service is built.
    if (!metadata) {
      metadata = dataSource.getMetadata(target);
      setters = metadata.columns
        .filter((column) => !column.isVirtual)
        .map((column) => columnSetter(dataSource, column));
    }
    const entity = metadata.create(undefined, { fromDeserializer: true }) as T;
    for (const set of setters) set(entity, row);
    return entity;
  };
}

type ColumnSetter = (entity: ObjectLiteral, row: Record<string, unknown>) => void;

/**
 * Column types whose value node-postgres already gives as TypeORM hydrates it
 * (strings, numbers, booleans, arrays of text): the driver's conversion would
 * change nothing. Timestamps come as Dates; TypeORM would only parse a string.
 */
const AS_READ = new Set<unknown>([
  'uuid',
  'text',
  'varchar',
  'character varying',
  'integer',
  'int',
  'smallint',
  'boolean',
]);
const TIMESTAMPS = new Set<unknown>(['timestamptz', 'timestamp with time zone']);

/**
 * How one column's value goes from a row into an entity: straight across
 * where TypeORM's hydration would not change it, through the driver (types,
 * enums, transformers, embedded columns) otherwise. Chosen once per column.
 */
function columnSetter(dataSource: DataSource, column: ColumnMetadata): ColumnSetter {
  const name = column.databaseName;
  const property = column.propertyName;
  if (!column.transformer && !column.embeddedMetadata && !column.referencedColumn) {
    if (AS_READ.has(column.type)) {
      return (entity, row) => {
        const value = row[name];
        if (value !== undefined) entity[property] = value;
      };
    }
    if (TIMESTAMPS.has(column.type)) {
      return (entity, row) => {
        const value = row[name];
        if (value !== undefined)
          entity[property] = typeof value === 'string' ? new Date(value) : value;
      };
    }
  }
  return (entity, row) => {
    const value = row[name];
    if (value === undefined) return;
    column.setEntityValue(entity, dataSource.driver.prepareHydratedValue(value, column));
  };
}

/** Named `:parameters` to the driver's positional ones, for `dataSource.query`. */
export function positional(
  dataSource: DataSource,
  sql: string,
  params: Record<string, unknown>,
): [string, unknown[]] {
  return dataSource.driver.escapeQueryWithParameters(sql, params);
}
