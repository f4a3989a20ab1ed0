// Which reported events the stream task matcher reads tasks for (server/tasks/stream-closer.ts):
// every status some task action reports, inspections, and nothing else.
import { describe, expect, it } from 'vitest'
import { RETURN_STATUSES } from '../../server/contracts/enums.js'
import type { Event } from '../../server/contracts/events.js'
import { mayMoveTasks } from '../../server/tasks/stream-closer.js'
import { taskMovesOnStatus } from '../../server/tasks/stream-events.js'

const status = (s: string, eventId = `e-${s}`) => ({ eventId, type: 'return.status', occurredAt: '2011-01-01T00:00:00Z', rmaId: 'R1', status: s }) as Event

describe('mayMoveTasks', () => {
  it('skips statuses no task action reports, such as an imported history\'s "closed"', () => {
    expect(mayMoveTasks(status('closed'))).toBe(false)
    expect(mayMoveTasks(status('cancelled'))).toBe(false)
    expect(mayMoveTasks(status('in_transit'))).toBe(false)
  })

  it('takes every status that starts or finishes some task, and every inspection', () => {
    const moving = RETURN_STATUSES.filter((s) => taskMovesOnStatus(s).length > 0)
    expect(moving).toEqual(expect.arrayContaining(['received', 'refunded', 'restocked', 'repaired', 'exchange_shipped']))
    for (const s of RETURN_STATUSES) expect(mayMoveTasks(status(s))).toBe(moving.includes(s))
    const inspected = { eventId: 'i1', type: 'return.inspected', occurredAt: '2011-01-01T00:00:00Z', rmaId: 'R1', sku: 'S', grade: 'B' } as Event
    expect(mayMoveTasks(inspected)).toBe(true)
  })

  it('skips the task API\'s own events and events of other types', () => {
    expect(mayMoveTasks(status('refunded', 'task:T1.0:done'))).toBe(false)
    expect(mayMoveTasks({ eventId: 'o1', type: 'order.placed' } as Event)).toBe(false)
  })
})
