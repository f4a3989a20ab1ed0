// The days an analytics read covers: a rolling window ending today, or an explicit range.
export const WINDOWS = ['7d', '30d', '90d', 'all'] as const
export type AnalyticsWindow = (typeof WINDOWS)[number]
const WINDOW_DAYS: Record<AnalyticsWindow, number | null> = { '7d': 7, '30d': 30, '90d': 90, all: null }

/** An inclusive UTC day range, as 'YYYY-MM-DD'. */
export interface DayRange { from: string; to: string }

const dayOf = (d: Date) => d.toISOString().slice(0, 10)

/** The days of a rolling window ending on the day of `now` (the jobs use the same rule). */
export function windowRange(win: AnalyticsWindow, now: Date): DayRange {
  const days = WINDOW_DAYS[win]
  const to = dayOf(now)
  if (days === null) return { from: '1970-01-01', to }
  return { from: dayOf(new Date(Date.parse(to) - (days - 1) * 86_400_000)), to }
}
