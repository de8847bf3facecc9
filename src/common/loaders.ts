import DataLoader from 'dataloader';

/** Where per-request DataLoaders live: on the GraphQL context of one request. */
export interface LoaderHost {
  loaders?: Map<string, DataLoader<unknown, unknown>>;
}

/** The request's loader named `name`, created on first use. */
export function requestLoader<K, V>(
  host: LoaderHost,
  name: string,
  batch: (keys: readonly K[]) => Promise<V[]>,
): DataLoader<K, V> {
  host.loaders ??= new Map();
  let loader = host.loaders.get(name) as DataLoader<K, V> | undefined;
  if (!loader) {
    loader = new DataLoader<K, V>(batch, { maxBatchSize: 500 });
    host.loaders.set(name, loader as DataLoader<unknown, unknown>);
  }
  return loader;
}

/** Orders rows found by id to match `keys` (missing ones become null). */
export function byKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

/** Groups rows under each key, in the order the rows came. */
export function groupByKey<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) map.get(keyOf(row))?.push(row);
  return keys.map((key) => map.get(key) ?? []);
}
