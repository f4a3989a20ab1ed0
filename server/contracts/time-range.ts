// The dates the API accepts: event times and query dates lie between 1990-01-01 and one
// year after today (UTC). Outside it a date is a typo or an attack, and ClickHouse's
// Date type ends at 2149-06-06 (beyond it a query fails inside the store). docs/limits.md.

export const EARLIEST_DAY = '1990-01-01'
const EARLIEST_MS = Date.parse(`${EARLIEST_DAY}T00:00:00Z`)

/** The last accepted day: today + 1 year (UTC; 29 Feb + 1 year is 1 Mar). */
export function latestDay(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear() + 1, now.getUTCMonth(), now.getUTCDate()))
  return d.toISOString().slice(0, 10)
}

/** A day (YYYY-MM-DD) within the accepted range. */
export function dayInRange(day: string, now: Date): boolean {
  return day >= EARLIEST_DAY && day <= latestDay(now)
}

/** An instant (ms since epoch) within the accepted range: from 1990-01-01 to the end of the last day. */
export function timeInRange(ms: number, now: Date): boolean {
  return ms >= EARLIEST_MS && ms < Date.parse(`${latestDay(now)}T00:00:00Z`) + 86_400_000
}

export const RANGE_MESSAGE = `must lie between ${EARLIEST_DAY} and one year after today`
