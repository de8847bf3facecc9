import { latestSlot, type Schedule } from './slots.js';

const daily = (timezone: string, sendHour: number): Schedule => ({
  frequency: 'DAILY',
  timezone,
  sendHour,
  weekday: 1,
});
const weekly = (timezone: string, sendHour: number, weekday: number): Schedule => ({
  frequency: 'WEEKLY',
  timezone,
  sendHour,
  weekday,
});
const at = (iso: string) => new Date(iso);
const slot = (schedule: Schedule, now: string) => {
  const found = latestSlot(schedule, at(now));
  return { key: found.key, at: found.at.toISOString() };
};

describe('daily slots', () => {
  it('is today at the local hour once that hour has come, else yesterday', () => {
    expect(slot(daily('Europe/Paris', 8), '2026-11-27T07:00:00Z')).toEqual({
      key: '2026-11-27',
      at: '2026-11-27T07:00:00.000Z',
    });
    expect(slot(daily('Europe/Paris', 8), '2026-11-27T06:59:59Z')).toEqual({
      key: '2026-11-26',
      at: '2026-11-26T07:00:00.000Z',
    });
  });

  it('uses the local date, not the UTC date', () => {
    // 23:30 UTC on the 26th is already 10:30 on the 27th in Sydney (UTC+11 in summer).
    expect(slot(daily('Australia/Sydney', 9), '2026-11-26T23:30:00Z')).toEqual({
      key: '2026-11-27',
      at: '2026-11-26T22:00:00.000Z',
    });
    // 03:00 UTC on the 27th is still the 26th in Los Angeles.
    expect(slot(daily('America/Los_Angeles', 18), '2026-11-27T03:00:00Z')).toEqual({
      key: '2026-11-26',
      at: '2026-11-27T02:00:00.000Z',
    });
  });

  it('handles half-hour offsets', () => {
    expect(slot(daily('Asia/Kolkata', 8), '2026-11-27T03:00:00Z')).toEqual({
      key: '2026-11-27',
      at: '2026-11-27T02:30:00.000Z',
    });
  });

  describe('across daylight saving changes, one slot per local day, none skipped or doubled', () => {
    const walk = (schedule: Schedule, fromIso: string, hours: number) => {
      const keys = new Map<string, string>();
      for (let h = 0; h <= hours; h += 0.25) {
        const found = latestSlot(schedule, new Date(new Date(fromIso).getTime() + h * 3_600_000));
        const previous = keys.get(found.key);
        if (previous) expect(found.at.toISOString()).toBe(previous);
        keys.set(found.key, found.at.toISOString());
      }
      return [...keys.entries()];
    };

    it('New York, spring forward: 02:00 does not exist, the slot is when clocks jump (03:00 EDT)', () => {
      const slots = walk(daily('America/New_York', 2), '2026-03-06T12:00:00Z', 96);
      expect(slots).toEqual([
        ['2026-03-06', '2026-03-06T07:00:00.000Z'],
        ['2026-03-07', '2026-03-07T07:00:00.000Z'],
        ['2026-03-08', '2026-03-08T07:00:00.000Z'],
        ['2026-03-09', '2026-03-09T06:00:00.000Z'],
        ['2026-03-10', '2026-03-10T06:00:00.000Z'],
      ]);
    });

    it('New York, fall back: 01:00 happens twice, the slot is the first one (EDT)', () => {
      const slots = walk(daily('America/New_York', 1), '2026-10-31T12:00:00Z', 72);
      expect(slots).toEqual([
        ['2026-10-31', '2026-10-31T05:00:00.000Z'],
        ['2026-11-01', '2026-11-01T05:00:00.000Z'],
        ['2026-11-02', '2026-11-02T06:00:00.000Z'],
        ['2026-11-03', '2026-11-03T06:00:00.000Z'],
      ]);
    });

    it('London, spring forward at 01:00 and fall back at 02:00', () => {
      expect(walk(daily('Europe/London', 1), '2026-03-28T12:00:00Z', 48)).toEqual([
        ['2026-03-28', '2026-03-28T01:00:00.000Z'],
        ['2026-03-29', '2026-03-29T01:00:00.000Z'],
        ['2026-03-30', '2026-03-30T00:00:00.000Z'],
      ]);
      expect(walk(daily('Europe/London', 1), '2026-10-24T12:00:00Z', 48)).toEqual([
        ['2026-10-24', '2026-10-24T00:00:00.000Z'],
        ['2026-10-25', '2026-10-25T00:00:00.000Z'],
        ['2026-10-26', '2026-10-26T01:00:00.000Z'],
      ]);
    });

    it('Sydney, southern hemisphere: clocks go forward in October', () => {
      expect(walk(daily('Australia/Sydney', 2), '2026-10-02T12:00:00Z', 72)).toEqual([
        ['2026-10-02', '2026-10-01T16:00:00.000Z'],
        ['2026-10-03', '2026-10-02T16:00:00.000Z'],
        ['2026-10-04', '2026-10-03T16:00:00.000Z'],
        ['2026-10-05', '2026-10-04T15:00:00.000Z'],
      ]);
    });
  });
});

describe('weekly slots', () => {
  it('is keyed by ISO week and falls on the chosen weekday', () => {
    // Friday 27 November 2026; Monday 08:00 Paris of that week was the 23rd.
    expect(slot(weekly('Europe/Paris', 8, 1), '2026-11-27T12:00:00Z')).toEqual({
      key: '2026-W48',
      at: '2026-11-23T07:00:00.000Z',
    });
    // Sunday of the same week has not come yet: last week's Sunday.
    expect(slot(weekly('Europe/Paris', 8, 7), '2026-11-27T12:00:00Z')).toEqual({
      key: '2026-W47',
      at: '2026-11-22T07:00:00.000Z',
    });
  });

  it('uses ISO week-years at the turn of the year', () => {
    expect(slot(weekly('UTC', 9, 1), '2027-01-02T12:00:00Z')).toEqual({
      key: '2026-W53',
      at: '2026-12-28T09:00:00.000Z',
    });
  });
});
