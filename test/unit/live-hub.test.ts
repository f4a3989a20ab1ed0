import { describe, expect, it } from 'vitest'
import { LiveHub } from '../../server/live/hub.js'

describe('LiveHub', () => {
  it('numbers messages per room consecutively and serves catch-up from the backlog', () => {
    const hub = new LiveHub(3)
    for (let i = 0; i < 5; i++) hub.publish('decisions', i)
    expect(hub.seq('decisions')).toBe(5)
    expect(hub.since('decisions', 3)).toMatchObject({ items: [{ seq: 4, item: 3 }, { seq: 5, item: 4 }], complete: true })
    // Only the last 3 are kept: asking from 1 cannot be complete.
    expect(hub.since('decisions', 1).complete).toBe(false)
  })

  it('bounds the number of rooms and never reuses a seq for a room that comes back', () => {
    const hub = new LiveHub(10, 2)
    hub.publish('rma:A', 'a1')
    hub.publish('rma:A', 'a2')
    hub.publish('rma:B', 'b1')
    hub.publish('rma:C', 'c1') // evicts rma:A, the least recently published
    expect(hub.seq('rma:A')).toBe(0)
    const again = hub.publish('rma:A', 'a3')
    expect(again.seq).toBeGreaterThan(2)
    const caught = hub.since('rma:A', 2)
    expect(caught.complete).toBe(false) // a2 → a3 gap is reported, not hidden
    expect(caught.items.map((m) => m.item)).toEqual(['a3'])
  })
})
