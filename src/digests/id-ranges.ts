/** The subscriptions whose id is above `after` and at most `upTo` (null: no bound). */
export interface IdRange {
  after: string | null;
  upTo: string | null;
}

export const WHOLE_RANGE: IdRange = { after: null, upTo: null };

/**
 * The bounds of an unbounded range in SQL. Above the nil UUID: no row has it
 * (ids are gen_random_uuid(), version 4).
 */
export const NIL_UUID = '00000000-0000-0000-0000-000000000000';
export const MAX_UUID = 'ffffffff-ffff-ffff-ffff-ffffffffffff';

/**
 * The UUID space cut into `parts` ranges of equal width, in order, covering
 * it without overlap. Ids are random (v4), so each range holds about as many
 * subscriptions as the others.
 */
export function splitIdRange(parts: number): IdRange[] {
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError('parts must be 1 or more');
  const bounds = Array.from({ length: parts - 1 }, (_, i) => {
    const prefix = Math.floor(((i + 1) * 0x1_0000_0000) / parts) - 1;
    return `${prefix.toString(16).padStart(8, '0')}-ffff-ffff-ffff-ffffffffffff`;
  });
  return Array.from({ length: parts }, (_, i) => ({
    after: i === 0 ? null : bounds[i - 1]!,
    upTo: i === parts - 1 ? null : bounds[i]!,
  }));
}

/** Whether `id` (lower-case, as PostgreSQL writes a uuid) falls in `range`. */
export function inIdRange(id: string, range: IdRange): boolean {
  return (range.after === null || id > range.after) && (range.upTo === null || id <= range.upTo);
}
