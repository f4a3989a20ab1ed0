// The one parser of from/to (YYYY-MM-DD, UTC days) for every analytics route, so a bound
// or a rule added here applies to all of them alike.
import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import { dayInRange, EARLIEST_DAY, latestDay, RANGE_MESSAGE } from '../contracts/time-range.js'
import { windowRange, type DayRange, type WINDOWS } from '../store/analytics/window.js'

export const day = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'a date (YYYY-MM-DD) or an ISO 8601 date-time' })
  .transform((v) => v.slice(0, 10))

/**
 * from/to override the window; only one of them is filled in from the window. Each must
 * lie in the accepted range (contracts/time-range.ts) relative to `now`.
 */
export function dayRange(q: { window: (typeof WINDOWS)[number]; from?: string; to?: string }, now: Date, reply: FastifyReply): DayRange | null | undefined {
  if (!q.from && !q.to) return null
  if (!inAcceptedRange(q, now, reply)) return undefined
  const w = windowRange(q.window, now)
  return checkedRange({ from: q.from ?? w.from, to: q.to ?? w.to }, now, reply)
}

/** False once a 400 naming each of from/to outside the accepted range was sent. */
function inAcceptedRange(q: { from?: string; to?: string }, now: Date, reply: FastifyReply): boolean {
  const outOfRange = (['from', 'to'] as const).filter((p) => q[p] !== undefined && !dayInRange(q[p]!, now))
  if (outOfRange.length === 0) return true
  void reply.code(400).send({
    error: 'bad_request', message: `invalid query parameter${outOfRange.length > 1 ? 's' : ''}: ${outOfRange.join(', ')}`,
    issues: outOfRange.map((path) => ({ path, message: `${RANGE_MESSAGE} (${EARLIEST_DAY} to ${latestDay(now)})` })),
  })
  return false
}

/** The range, or undefined once a 400 was sent (a bound outside the accepted range, or from > to). */
export function checkedRange(range: DayRange, now: Date, reply: FastifyReply): DayRange | undefined {
  if (!inAcceptedRange(range, now, reply)) return undefined
  if (range.from > range.to) {
    void reply.code(400).send({ error: 'bad_request', message: 'invalid query parameters: from, to', issues: [{ path: 'from', message: 'from must not be after to' }] })
    return undefined
  }
  return range
}
