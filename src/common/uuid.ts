const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a value can be a row id (ids are UUIDs): check before it reaches a uuid column. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
