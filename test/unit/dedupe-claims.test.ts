// An event id claimed by a request still in flight is neither a duplicate nor free: a
// second claim waits for the first to settle. Answering "duplicate" at once would
// acknowledge an event whose first request may still fail to store it; and the rollback
// of orphaned decisions relies on it to run alone with a producer's retry of the same event.
// An importer's claims do not wait (they hold a place in the routing order).
import type { ClickHouseClient } from '@clickhouse/client'
import { describe, expect, it } from 'vitest'
import { EventDeduper } from '../../server/ingest/dedupe.js'
import { OverloadedError } from '../../server/store/writer.js'

// Memory covers every stored id (load() not called): the store is never asked.
const deduper = () => new EventDeduper({} as ClickHouseClient)
const settledYet = async (p: Promise<unknown>) => {
  let done = false
  void p.then(() => { done = true })
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r))
  return done
}

describe('EventDeduper claims', () => {
  it('a claim of an id in flight waits, and is a duplicate once the first is durable', async () => {
    const d = deduper()
    expect(await d.claim(['a', 'b'])).toEqual(new Set())
    const second = d.claim(['b', 'c'])
    expect(await settledYet(second)).toBe(false)
    d.confirm(['a'])
    expect(await settledYet(second)).toBe(false) // b is still in flight
    d.confirm(['b'])
    expect(await second).toEqual(new Set(['b']))
    // c is claimed by the second now.
    const third = d.claim(['c'])
    expect(await settledYet(third)).toBe(false)
    d.release(['c'])
    expect(await third).toEqual(new Set())
  })

  it('a claim of an id whose first request failed takes it over', async () => {
    const d = deduper()
    await d.claim(['x'])
    const retry = d.claim(['x'])
    d.release(['x'])
    expect(await retry).toEqual(new Set())
    // Claimed by the retry: a third waits for it.
    const third = d.claim(['x'])
    expect(await settledYet(third)).toBe(false)
    d.confirm(['x'])
    expect(await third).toEqual(new Set(['x']))
  })

  it('an id named twice in one claim is claimed once', async () => {
    const d = deduper()
    expect(await d.claim(['y', 'y'])).toEqual(new Set())
    const next = d.claim(['y'])
    d.release(['y'])
    expect(await next).toEqual(new Set())
  })

  it('an importer\'s claim does not wait: held by a request it is a duplicate, by a rollback it is refused for now', async () => {
    const d = deduper()
    await d.claim(['r'])
    expect(await d.claim(['r', 's'], { mode: 'nowait' })).toEqual(new Set(['r']))
    await d.claim(['t'], { byRollback: true })
    await expect(d.claim(['u', 't'], { mode: 'nowait' })).rejects.toBeInstanceOf(OverloadedError)
    // Refused whole: u was not kept claimed.
    const u = d.claim(['u'])
    expect(await settledYet(u)).toBe(true)
    // A request over HTTP waits for the rollback, then takes the id.
    const waiting = d.claim(['t'])
    expect(await settledYet(waiting)).toBe(false)
    d.release(['t'])
    expect(await waiting).toEqual(new Set())
  })
})
