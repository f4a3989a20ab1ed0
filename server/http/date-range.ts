// The one parser of from/to (YYYY-MM-DD, UTC days) for every analytics route, so a bound
// or a rule added here applies to all of them alike.
import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import { windowRange, type DayRange, type WINDOWS } from '../store/analytics-reads.js'

export const day = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: 'a date (YYYY-MM-DD) or an ISO 8601 date-time' })
  .transform((v) => v.slice(0, 10))

/** from/to override the window; only one of them is filled in from the window. */
export function dayRange(q: { window: (typeof WINDOWS)[number]; from?: string; to?: string }, now: Date, reply: FastifyReply): DayRange | null | undefined {
  if (!q.from && !q.to) return null
  const w = windowRange(q.window, now)
  return checkedRange({ from: q.from ?? w.from, to: q.to ?? w.to }, reply)
}

/** The range, or undefined once a 400 naming `from` was sent for from > to. */
export function checkedRange(range: DayRange, reply: FastifyReply): DayRange | undefined {
  if (range.from > range.to) {
    void reply.code(400).send({ error: 'bad_request', message: 'invalid query parameters: from, to', issues: [{ path: 'from', message: 'from must not be after to' }] })
    return undefined
  }
  return range
}
