// The days an analytics read covers: a rolling window ending today, or an explicit range.
// "All time" starts at the first day with data, so a chart of it does not begin decades
// before the shop's history.
import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { EARLIEST_DAY } from '../../contracts/time-range.js'
import { chDay, int } from '../columns.js'
import { namedQuery, query } from '../query.js'

export const WINDOWS = ['7d', '30d', '90d', 'all'] as const
export type AnalyticsWindow = (typeof WINDOWS)[number]
const WINDOW_DAYS: Record<AnalyticsWindow, number | null> = { '7d': 7, '30d': 30, '90d': 90, all: null }

/** An inclusive UTC day range, as 'YYYY-MM-DD'. */
export interface DayRange { from: string; to: string }

const dayOf = (d: Date) => d.toISOString().slice(0, 10)

/**
 * The days of a rolling window ending on the day of `now` (the jobs use the same rule).
 * 'all' starts at the earliest day the API accepts; resolveDays narrows it to the data.
 */
export function windowRange(win: AnalyticsWindow, now: Date): DayRange {
  const days = WINDOW_DAYS[win]
  const to = dayOf(now)
  if (days === null) return { from: EARLIEST_DAY, to }
  return { from: dayOf(new Date(Date.parse(to) - (days - 1) * 86_400_000)), to }
}

const FirstDayRow = z.object({ first_day: chDay, hours: int })

/** The first UTC day with a sale or a return in the hourly roll-ups; null on an empty store. */
export async function firstDataDay(client: ClickHouseClient): Promise<string | null> {
  const [row] = await query(client, { query: namedQuery('data-first-day'), tag: 'api.first-day', schema: FirstDayRow })
  return row && row.hours > 0 ? row.first_day : null
}

/**
 * The days a read covers: the explicit range when given, else the window's, where 'all'
 * starts at the first data (today on an empty store).
 */
export async function resolveDays(client: ClickHouseClient, win: AnalyticsWindow, range: DayRange | undefined, now: Date): Promise<DayRange> {
  if (range) return range
  const days = windowRange(win, now)
  if (win !== 'all') return days
  const first = await firstDataDay(client)
  return { from: first && first < days.to ? first : days.to, to: days.to }
}

/**
 * `range` with its start moved up to the first data, for day-by-day series: a range typed
 * from 1990 would otherwise be filled with decades of empty days.
 */
export async function clampToData(client: ClickHouseClient, range: DayRange): Promise<DayRange> {
  const first = await firstDataDay(client)
  if (!first || first <= range.from) return range
  return { from: first > range.to ? range.to : first, to: range.to }
}
