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
  let columns: ColumnMetadata[] = [];
  return (row) => {
    // Looked up on first use: the data source may not be initialised when a service is built.
    if (!metadata) {
      metadata = dataSource.getMetadata(target);
      columns = metadata.columns.filter((column) => !column.isVirtual);
    }
    const driver = dataSource.driver;
    const entity = metadata.create(undefined, { fromDeserializer: true }) as T;
    for (const column of columns) {
      const value = row[column.databaseName];
      if (value === undefined) continue;
      column.setEntityValue(entity, driver.prepareHydratedValue(value, column));
    }
    return entity;
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
