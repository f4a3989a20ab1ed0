// The routing lane: FIFO, and a place taken with reserve() keeps its turn however late
// its task comes (what keeps an importer's batches decided in order).
import { describe, expect, it } from 'vitest'
import { SerialLane } from '../../server/ingest/cpu-slices.js'

const tick = () => new Promise((r) => setTimeout(r, 5))

describe('SerialLane', () => {
  it('runs reserved places in the order they were taken, not the order their tasks came', async () => {
    const lane = new SerialLane()
    const order: string[] = []
    const first = lane.reserve()
    const second = lane.reserve()
    const late = lane.run(async () => { order.push('run') })
    const b = second.run(async () => { order.push('second') })
    await tick()
    expect(order).toEqual([]) // the first place holds the lane until its task comes
    expect(lane.waiting).toBe(2)
    const a = first.run(async () => { order.push('first') })
    await Promise.all([a, b, late])
    expect(order).toEqual(['first', 'second', 'run'])
    expect(lane.waiting).toBe(0)
  })

  it('moves on past a place given up, and past a task that failed', async () => {
    const lane = new SerialLane()
    const order: string[] = []
    const unused = lane.reserve()
    const failing = lane.reserve()
    const after = lane.run(async () => { order.push('after') })
    const failed = failing.run(async () => { throw new Error('routing failed') })
    unused.release()
    unused.release() // idempotent
    failing.release() // a no-op once run
    await expect(failed).rejects.toThrow('routing failed')
    await after
    expect(order).toEqual(['after'])
    expect(() => failing.run(async () => undefined)).toThrow(/one task/)
  })
})
