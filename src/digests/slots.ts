import { DateTime, IANAZone } from 'luxon';

export type Frequency = 'DAILY' | 'WEEKLY';

export interface Schedule {
  frequency: Frequency;
  timezone: string;
  /** Local hour, 0–23. */
  sendHour: number;
  /** ISO weekday, 1 = Monday … 7 = Sunday (weekly only). */
  weekday: number;
}

/** One send time of a schedule: its key (local date or ISO week) and its UTC instant. */
export interface Slot {
  key: string;
  at: Date;
}

export function isTimeZone(name: string): boolean {
  return typeof name === 'string' && name.length > 0 && IANAZone.isValidZone(name);
}

/**
 * The latest slot at or before `now`. A planner that was down for days
 * therefore finds one slot, not one per missed day.
 */
export function latestSlot(schedule: Schedule, now: Date): Slot {
  const local = DateTime.fromJSDate(now, { zone: schedule.timezone });
  const step = schedule.frequency === 'WEEKLY' ? { weeks: 1 } : { days: 1 };
  let day = schedule.frequency === 'WEEKLY' ? local.set({ weekday: schedule.weekday as 1 }) : local;
  let slot = slotOn(schedule, day);
  if (slot.at > now) {
    day = day.minus(step);
    slot = slotOn(schedule, day);
  }
  return slot;
}

/**
 * The slot on a local day: the first instant at or after `sendHour` local
 * time. Where that hour does not exist (clocks spring forward) it is the
 * moment the clocks jump; where it exists twice (clocks fall back), the
 * earlier of the two.
 */
export function slotOn(schedule: Schedule, day: DateTime): Slot {
  const zone = schedule.timezone;
  const date = { year: day.year, month: day.month, day: day.day };
  const candidate = DateTime.fromObject({ ...date, hour: schedule.sendHour }, { zone });
  // Luxon resolves a repeated wall time to its later occurrence; look back
  // over the possible daylight-saving shifts for an earlier instant that
  // already shows the hour on that day.
  let at = candidate;
  for (const minutes of [30, 60, 90, 120]) {
    const earlier = candidate.minus({ minutes }).setZone(zone);
    const sameDay =
      earlier.year === date.year && earlier.month === date.month && earlier.day === date.day;
    if (sameDay && earlier.hour * 60 + earlier.minute >= schedule.sendHour * 60 && earlier < at)
      at = earlier;
  }
  const key =
    schedule.frequency === 'WEEKLY' ? at.toFormat("kkkk-'W'WW") : at.toFormat('yyyy-MM-dd');
  return { key, at: at.toUTC().toJSDate() };
}

export const WEEKDAYS = [
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
  'SUNDAY',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export function isoWeekday(weekday: Weekday): number {
  return WEEKDAYS.indexOf(weekday) + 1;
}

export function weekdayName(iso: number): Weekday {
  return WEEKDAYS[iso - 1] ?? 'MONDAY';
}
