// Sliced work shares the event loop's turns: one slice per turn in all, round-robin, so
// whatever else the loop has to do (a health check's I/O) waits for one slice, not for a
// slice of every request in flight.
import { describe, expect, it } from 'vitest'
import { CpuSlicer, nextSharedTurn, tasksWaitingForTurn } from '../../server/ingest/cpu-slices.js'

describe('shared turns', () => {
  it('resumes one waiting task per turn: other callbacks of the loop run in between', async () => {
    const order: string[] = []
    const task = async (name: string) => { await nextSharedTurn(); order.push(name) }
    const all = Promise.all(['a', 'b', 'c'].map(task))
    expect(tasksWaitingForTurn()).toBe(3)
    // Queued after the three tasks yielded: with a slice per task per turn it would come last.
    setImmediate(() => order.push('other'))
    await all
    expect(order.indexOf('other')).toBeLessThan(order.indexOf('c'))
    expect(order.slice(0, 2)).toEqual(['a', 'other'])
    expect(tasksWaitingForTurn()).toBe(0)
  })

  it('takes turns round-robin, so a task that keeps yielding does not starve the others', async () => {
    const order: string[] = []
    const task = async (name: string) => {
      const slicer = new CpuSlicer(0)
      for (let i = 0; i < 3; i++) { await slicer.yieldNow(); order.push(name) }
    }
    await Promise.all([task('a'), task('b')])
    expect(order).toEqual(['a', 'b', 'a', 'b', 'a', 'b'])
  })

  it('still stops a task whose client has gone, at its next yield', async () => {
    const gone = new AbortController()
    const slicer = new CpuSlicer(0, gone.signal)
    gone.abort()
    await expect(slicer.yieldNow()).rejects.toThrow(/client closed/)
  })
})
