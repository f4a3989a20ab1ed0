import { describe, expect, it } from 'vitest'
import { dayInRange, latestDay, timeInRange } from '../../server/contracts/time-range.js'
import { Event } from '../../server/contracts/events.js'
import { orderPlaced } from '../fixtures/events.js'

describe('accepted date range', () => {
  const now = new Date('2026-12-02T05:00:00Z')
  it('runs from 1990-01-01 to one year after today (UTC)', () => {
    expect(latestDay(now)).toBe('2027-12-02')
    expect(latestDay(new Date('2028-02-29T12:00:00Z'))).toBe('2029-03-01')
    expect(dayInRange('1990-01-01', now)).toBe(true)
    expect(dayInRange('1989-12-31', now)).toBe(false)
    expect(dayInRange('2027-12-02', now)).toBe(true)
    expect(dayInRange('2027-12-03', now)).toBe(false)
    expect(dayInRange('2149-06-06', now)).toBe(false)
  })
  it('takes instants up to the end of the last day', () => {
    expect(timeInRange(Date.parse('2027-12-02T23:59:59.999Z'), now)).toBe(true)
    expect(timeInRange(Date.parse('2027-12-03T00:00:00Z'), now)).toBe(false)
    expect(timeInRange(Date.parse('1989-12-31T23:59:59Z'), now)).toBe(false)
    expect(timeInRange(Number.NaN, now)).toBe(false)
  })
  it('is part of the event contract: occurredAt out of range is an issue at its path', () => {
    const parsed = Event.safeParse(orderPlaced({ occurredAt: '2149-06-06T00:00:00Z' }))
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues.map((i) => i.path.join('.'))).toEqual(['occurredAt'])
    expect(Event.safeParse(orderPlaced({ occurredAt: new Date().toISOString() })).success).toBe(true)
  })
})
