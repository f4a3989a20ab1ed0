// The live feed publishes everything pushed, in push order, a slice at a time.
import { describe, expect, it } from 'vitest'
import { LiveFeed, type LiveEntry } from '../../server/live/feed.js'
import { LiveHub } from '../../server/live/hub.js'

const entries = (prefix: string, n: number): LiveEntry[] => Array.from({ length: n }, (_, i) => [`room-${i % 3}`, `${prefix}${i}`])

describe('LiveFeed', () => {
  it('publishes every entry in push order, yielding between slices', async () => {
    const hub = new LiveHub()
    const seen: unknown[] = []
    hub.onMessage((m) => seen.push(m.item))
    // A budget of 0 publishes one entry per turn of the event loop.
    const feed = new LiveFeed(hub, 0)
    feed.push(entries('a', 5))
    feed.push((function* () { yield* entries('b', 4) })())
    expect(seen).toEqual([]) // nothing on the pusher's turn
    await new Promise((r) => setImmediate(r))
    expect(seen.length).toBe(1)
    while (seen.length < 9) await new Promise((r) => setImmediate(r))
    expect(seen).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'b0', 'b1', 'b2', 'b3'])
    expect(hub.seq('room-0')).toBeGreaterThan(0)
  })

  it('publishes a run within one turn when the budget allows', async () => {
    const hub = new LiveHub()
    let n = 0
    hub.onMessage(() => { n++ })
    new LiveFeed(hub, 1_000).push(entries('c', 1_000))
    await new Promise((r) => setImmediate(r))
    expect(n).toBe(1_000)
  })
})
