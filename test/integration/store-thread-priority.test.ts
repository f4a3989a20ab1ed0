// The embedded store's threads run at a lower CPU priority than Node's, so the event loop
// answers first when cores are short: every thread ClickHouse started is lowered, no
// thread of Node's is, and threads the store starts later are found on the next sweep.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openStore, type StoreClient } from '../../server/store/client.js'
import { lowerStoreThreadPriority } from '../../server/store/thread-priority.js'

const linux = process.platform === 'linux'
let dir: string
let store: StoreClient

/** Name and nice value of every thread of this process (/proc/self/task/<tid>/stat, field 19). */
function threads(): { tid: number; name: string; nice: number }[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      return [{ tid: Number(tid), name: readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim(), nice: Number(fields[16]) }]
    } catch {
      return []
    }
  })
}

beforeAll(async () => {
  if (!linux) return
  dir = mkdtempSync(join(tmpdir(), 'revnav-nice-'))
  store = await openStore({ DATA_DIR: dir, CLICKHOUSE_DATABASE: 'revnav' } as Parameters<typeof openStore>[0])
  await store.client.query({ query: 'SELECT count() FROM numbers(100000)' }).then((r) => r.text())
}, 120_000)

afterAll(async () => {
  await store?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

/** Store threads listed before a sweep and still alive after it were all lowered to `nice`. */
function expectSweptStoreThreads(keeper: ReturnType<typeof lowerStoreThreadPriority>, nice: number) {
  const listed = threads().filter((t) => t.name !== 'node')
  keeper.sweep()
  const now = new Map(threads().map((t) => [t.tid, t]))
  const alive = listed.filter((t) => now.has(t.tid))
  expect(alive.length).toBeGreaterThan(0)
  for (const t of alive) {
    expect(keeper.lowered.has(t.tid)).toBe(true)
    expect(now.get(t.tid)!.nice).toBe(nice)
  }
}

it.skipIf(!linux)('lowers the store threads, never the event loop or Node\'s own threads', async () => {
  const mainNice = threads().find((t) => t.tid === process.pid)!.nice
  const keeper = lowerStoreThreadPriority(7, 60_000)
  try {
    expectSweptStoreThreads(keeper, 7)
    const after = threads()
    expect(after.find((t) => t.tid === process.pid)!.nice).toBe(mainNice)
    for (const t of after.filter((x) => x.name === 'node')) expect(keeper.lowered.has(t.tid)).toBe(false)

    // Queries that start more pool threads: the next sweep finds them too.
    await Promise.all(Array.from({ length: 4 }, (_, i) => store.client.query({
      query: `SELECT sum(number % ${i + 3}) FROM numbers(2000000) SETTINGS max_threads = 4` }).then((r) => r.text())))
    expectSweptStoreThreads(keeper, 7)
  } finally {
    keeper.stop()
  }
})

it('does nothing with nice 0', () => {
  const keeper = lowerStoreThreadPriority(0)
  keeper.stop()
  expect(keeper.lowered.size).toBe(0)
})
