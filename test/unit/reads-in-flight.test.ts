// The pause a long job takes between its statements (pipelines/snapshot.ts, betweenPasses)
// waits for the store reads in flight, including the query a reader issues right after
// its previous one answered, and never longer than its bound.
import type { ClickHouseClient } from '@clickhouse/client'
import { describe, expect, it } from 'vitest'
import { countedRead, readsInFlight, readsSettled } from '../../server/store/reads-in-flight.js'

/** A store client stands only as the key reads are counted under. */
const storeKey = () => ({}) as ClickHouseClient

function deferred() {
  let resolve!: () => void
  const promise = new Promise<void>((r) => { resolve = r })
  return { promise, resolve }
}

const turns = async (n: number) => { for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r)) }

describe('readsSettled', () => {
  it('resolves at once when no read is in flight', async () => {
    const client = storeKey()
    let settled = false
    void readsSettled(client, 60_000).then(() => { settled = true })
    await turns(2)
    expect(settled).toBe(true)
  })

  it('waits for a reader whose queries run one after another, not only for the first', async () => {
    const client = storeKey()
    const first = deferred(), second = deferred()
    const reader = (async () => {
      await countedRead(client, () => first.promise)
      await countedRead(client, () => second.promise)
    })()
    let settled = false
    const gap = readsSettled(client, 60_000).then(() => { settled = true })
    first.resolve()
    await turns(5)
    expect(readsInFlight(client)).toBe(1)
    expect(settled).toBe(false)
    second.resolve()
    await reader
    await gap
    expect(settled).toBe(true)
    expect(readsInFlight(client)).toBe(0)
  })

  it('gives up after its bound when reads never stop', async () => {
    const client = storeKey()
    const never = deferred()
    void countedRead(client, () => never.promise)
    await readsSettled(client, 5)
    expect(readsInFlight(client)).toBe(1)
    never.resolve()
  })

  it('counts a failed read out as well', async () => {
    const client = storeKey()
    await expect(countedRead(client, () => Promise.reject(new Error('store down')))).rejects.toThrow('store down')
    expect(readsInFlight(client)).toBe(0)
  })
})
