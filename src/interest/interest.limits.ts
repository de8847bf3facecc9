/**
 * How long an offer's parts may be, in characters after trimming, and how many
 * areas it names. The inputs (ExpressInterestInput, UpdateInterestStatusArgs)
 * state and check the lengths; InterestService counts the distinct areas.
 */
export const INTEREST_LIMITS = {
  message: 5_000,
  building: 2_000,
  availability: 500,
  link: 2_000,
  note: 5_000,
  areas: 10,
  area: 40,
} as const;

/** 5000 → "5,000", as the API's descriptions write numbers. */
export function counted(limit: number): string {
  return limit.toLocaleString('en-US');
}
