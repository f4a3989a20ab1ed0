// Reads in flight per store client, so a long job can pause between its statements until
// the dashboard reads waiting on the store have run. The embedded store runs one query at
// a time; a read issued while a job statement runs waits for it, and a read made of
// several queries in a row would otherwise wait once per statement of the job.
import type { ClickHouseClient } from '@clickhouse/client'

const counts = new WeakMap<ClickHouseClient, number>()
const waiters = new WeakMap<ClickHouseClient, Array<() => void>>()

/** Counts `run` as a read of `client` until it settles. */
export async function countedRead<T>(client: ClickHouseClient, run: () => Promise<T>): Promise<T> {
  counts.set(client, (counts.get(client) ?? 0) + 1)
  try {
    return await run()
  } finally {
    const left = (counts.get(client) ?? 1) - 1
    counts.set(client, left)
    // Released after the reader's own continuation has run: a reader that issues its next
    // query right after this one counts again before a waiter looks.
    if (left === 0) setImmediate(() => { if ((counts.get(client) ?? 0) === 0) release(client) })
  }
}

export function readsInFlight(client: ClickHouseClient): number {
  return counts.get(client) ?? 0
}

function release(client: ClickHouseClient) {
  const list = waiters.get(client)
  waiters.delete(client)
  for (const w of list ?? []) w()
}

/**
 * Resolves once no read of `client` is in flight (checked after the event loop has taken
 * the I/O already waiting, e.g. requests that arrived meanwhile), or after `maxWaitMs`:
 * readers that never pause must not hold a job forever.
 */
export async function readsSettled(client: ClickHouseClient, maxWaitMs: number): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve))
  if (readsInFlight(client) === 0) return
  await new Promise<void>((resolve) => {
    const timer = setTimeout(done, maxWaitMs)
    function done() { clearTimeout(timer); resolve() }
    const list = waiters.get(client) ?? []
    list.push(done)
    waiters.set(client, list)
  })
}
