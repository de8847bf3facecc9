import DataLoader from 'dataloader';

/**
 * A kind of per-request loader: how it batches keys into values, given what
 * the caller supplies (services, the viewer, a page size). Defined once, at
 * module level, by the feature that owns the data; the token is typed, so
 * `loaders.get(kind, ...)` answers a `DataLoader<K, V>` without casts.
 */
export interface LoaderKind<K, V, A extends readonly unknown[]> {
  readonly batch: (keys: readonly K[], ...args: A) => Promise<readonly (V | Error)[]>;
}

export function defineLoader<K, V, A extends readonly unknown[] = []>(
  batch: (keys: readonly K[], ...args: A) => Promise<readonly (V | Error)[]>,
): LoaderKind<K, V, A> {
  return { batch };
}

interface LoaderNode {
  loader?: DataLoader<unknown, unknown>;
  next: Map<unknown, LoaderNode>;
}

/**
 * The loaders of one request (or of one event pushed over graphql-ws): one
 * DataLoader per kind and arguments, made on first use. Built fresh in each
 * GraphQL context, so nothing cached outlives what it was loaded for.
 */
export class RequestLoaders {
  private readonly roots = new Map<object, LoaderNode>();

  get<K, V, A extends readonly unknown[]>(kind: LoaderKind<K, V, A>, ...args: A): DataLoader<K, V> {
    let node: LoaderNode = this.roots.get(kind) ?? { next: new Map() };
    this.roots.set(kind, node);
    // Different arguments (another page size, another viewer) batch apart.
    for (const arg of args) {
      const child: LoaderNode = node.next.get(arg) ?? { next: new Map() };
      node.next.set(arg, child);
      node = child;
    }
    node.loader ??= new DataLoader<K, V>((keys) => kind.batch(keys, ...args), {
      maxBatchSize: 500,
    }) as DataLoader<unknown, unknown>;
    return node.loader as DataLoader<K, V>;
  }
}

/** Where per-request loaders live: on the GraphQL context of one request. */
export interface LoaderHost {
  loaders: RequestLoaders;
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
