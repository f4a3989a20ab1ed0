// Changes to one return made by requests whose writes are in flight together: whatever
// order their writes fail or succeed in, the return ends as the stored changes left it.
import { describe, expect, it } from 'vitest'
import { InFlightReturns } from '../../../server/navigator-service/in-flight.js'
import type { ReturnSnapshot } from '../../../server/navigator/state.js'

/** A snapshot tagged with the state it stands for (S0 before the first change, …). */
const at = (rmaId: string, state: string) => ({ rmaId, state }) as unknown as ReturnSnapshot
const stateOf = (s: ReturnSnapshot[]) => s.map((x) => `${x.rmaId}:${(x as unknown as { state: string }).state}`)

describe('InFlightReturns', () => {
  const a = {}, b = {}, c = {}
  /** a changed return r (from S0), then b changed it again (from S1). */
  const aThenB = () => {
    const f = new InFlightReturns()
    f.add(a, [at('r', 'S0')])
    f.add(b, [at('r', 'S1')])
    return f
  }

  it('restores a failed change whose return no later change touched', () => {
    const f = new InFlightReturns()
    f.add(a, [at('r', 'S0'), at('q', 'Q0')])
    expect(stateOf(f.undo(a))).toEqual(['q:Q0', 'r:S0'])
    expect(f.size).toBe(0)
  })

  it('leaves the return to the later change when the earlier fails and the later is stored', () => {
    const f = aThenB()
    expect(f.undo(a)).toEqual([])
    f.confirm(b)
    expect(f.size).toBe(0)
  })

  it('restores to before both when both fail, in either order', () => {
    const f = aThenB()
    expect(f.undo(a)).toEqual([])
    expect(stateOf(f.undo(b))).toEqual(['r:S0'])

    const g = aThenB()
    expect(stateOf(g.undo(b))).toEqual(['r:S1'])
    expect(stateOf(g.undo(a))).toEqual(['r:S0'])
  })

  it('restores to what a stored earlier change left when the later fails', () => {
    const f = aThenB()
    f.confirm(a)
    expect(stateOf(f.undo(b))).toEqual(['r:S1'])
  })

  it('passes a failed middle change’s snapshot on to the next, then to the one after', () => {
    const f = aThenB()
    f.add(c, [at('r', 'S2')])
    expect(f.undo(b)).toEqual([])
    expect(f.undo(a)).toEqual([])
    expect(stateOf(f.undo(c))).toEqual(['r:S0'])
    expect(f.size).toBe(0)
  })

  it('forgets a change that touched no return, and one settled twice', () => {
    const f = new InFlightReturns()
    f.add(a, [])
    expect(f.undo(a)).toEqual([])
    f.add(b, [at('r', 'S0')])
    f.confirm(b)
    expect(f.undo(b)).toEqual([])
    expect(f.size).toBe(0)
  })
})
