// The batched writer's scheduling, against a recording sink (the real ClickHouse path is
// covered by the integration tests).

/** The rows of a JSONEachRow body. */
const linesOf = (body: Buffer) => body.toString().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>)
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { RowSink } from '../../server/store/row-sink.js'
import { BatchedWriter, OverloadedError, isTransientError } from '../../server/store/writer.js'
import { JsonLines } from '../../server/store/json-lines.js'

function recordingClient(opts: { failTimes?: number; error?: unknown; delayMs?: number } = {}) {
  const inserts: { table: string; rows: number }[] = []
  let failures = 0
  let inFlight = 0
  let maxInFlight = 0
  const client: Pick<RowSink, 'insertJsonLines'> = {
    async insertJsonLines(table, body) {
      const values = linesOf(body)
      inFlight++
      maxInFlight = Math.max(maxInFlight, inFlight)
      try {
        if (opts.delayMs) await new Promise((r) => setTimeout(r, opts.delayMs))
        if (failures < (opts.failTimes ?? 0)) { failures++; throw opts.error }
        inserts.push({ table, rows: values.length })
      } finally { inFlight-- }
    },
  }
  return { client, inserts, maxInFlight: () => maxInFlight }
}

const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ i }))

afterEach(() => { vi.useRealTimers() })

describe('BatchedWriter', () => {
  it('flushes on the interval, not before', async () => {
    vi.useFakeTimers()
    const { client, inserts } = recordingClient()
    const w = new BatchedWriter(client, { batchSize: 100, flushMs: 50, maxQueuedRows: 1000 })
    const done = w.write('t', rows(3))
    await vi.advanceTimersByTimeAsync(49)
    expect(inserts).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    await done
    expect(inserts).toEqual([{ table: 't', rows: 3 }])
  })

  it('flushes at once when a table reaches the batch size, in one insert', async () => {
    const { client, inserts } = recordingClient()
    const w = new BatchedWriter(client, { batchSize: 10, flushMs: 60_000, maxQueuedRows: 1000 })
    await Promise.all([w.write('t', rows(4)), w.write('t', rows(6))])
    expect(inserts).toEqual([{ table: 't', rows: 10 }])
  })

  it('flushes a write made by a caller resumed from the previous flush', async () => {
    // Regression: the second write used to see the finishing flush as still running,
    // set no timer, and wait forever.
    const { client, inserts } = recordingClient()
    const w = new BatchedWriter(client, { batchSize: 100, flushMs: 5, maxQueuedRows: 1000 })
    await w.write('decisions', rows(1))
    await w.write('raw_events', rows(1))
    expect(inserts.map((i) => i.table)).toEqual(['decisions', 'raw_events'])
  })

  it('never runs two inserts into the same table at once, but flushes tables side by side', async () => {
    const one = recordingClient({ delayMs: 10 })
    const w1 = new BatchedWriter(one.client, { batchSize: 2, flushMs: 1, maxQueuedRows: 1000 })
    await Promise.all(Array.from({ length: 10 }, () => w1.write('t', rows(2))))
    expect(one.maxInFlight()).toBe(1)
    expect(one.inserts.reduce((n, i) => n + i.rows, 0)).toBe(20)

    const three = recordingClient({ delayMs: 10 })
    const w3 = new BatchedWriter(three.client, { batchSize: 2, flushMs: 1, maxQueuedRows: 1000 })
    await Promise.all(Array.from({ length: 12 }, (_, i) => w3.write(`t${i % 3}`, rows(2))))
    expect(three.maxInFlight()).toBe(3)
    expect(three.inserts.reduce((n, i) => n + i.rows, 0)).toBe(24)
  })

  it('joins large inserts into a buffer kept per table, each insert with its own rows', async () => {
    const bodies: string[] = []
    const sink: Pick<RowSink, 'insertJsonLines'> = { async insertJsonLines(_table, body) { bodies.push(body.toString()) } }
    const w = new BatchedWriter(sink, { batchSize: 100_000, flushMs: 1, maxQueuedRows: 1_000_000 })
    const big = (tag: string, n: number) => Array.from({ length: n }, (_, i) => ({ tag, i, pad: 'x'.repeat(200) }))
    await w.write('t', big('first', 8_000))
    await w.write('t', big('second', 6_000)) // smaller: the kept buffer's view must end at its rows
    expect(bodies.map((b) => linesOf(Buffer.from(b)).length)).toEqual([8_000, 6_000])
    expect(linesOf(Buffer.from(bodies[1])).every((r) => r.tag === 'second')).toBe(true)
    expect(bodies[0].length).toBeGreaterThan(1 << 20)
  })

  it('inserts rows of columns (JSONCompactEachRow) apart from object rows, in order, with their columns', async () => {
    const inserts: { table: string; columns?: readonly string[]; lines: unknown[] }[] = []
    let release!: () => void
    const held = new Promise<void>((resolve) => { release = resolve })
    const sink: Pick<RowSink, 'insertJsonLines'> = {
      async insertJsonLines(table, body, columns) {
        inserts.push({ table, columns, lines: linesOf(body) })
        if (inserts.length === 1) await held
      },
    }
    const w = new BatchedWriter(sink, { batchSize: 100, flushMs: 1, maxQueuedRows: 1000 })
    const columns = ['a', 'b'] as const
    const first = w.write('t', [{ a: 0, b: 'x' }])
    await new Promise((r) => setTimeout(r, 10)) // the first insert is under way: the rest queue behind it
    const rest = [
      w.write('t', JsonLines.of([[1, 'y'], [2, 'z']], columns)),
      w.write('t', JsonLines.of([[3, 'w']], columns)),
      w.write('t', [{ a: 4, b: 'v' }]),
    ]
    release()
    await Promise.all([first, ...rest])
    expect(inserts).toEqual([
      { table: 't', columns: undefined, lines: [{ a: 0, b: 'x' }] },
      { table: 't', columns, lines: [[1, 'y'], [2, 'z'], [3, 'w']] },
      { table: 't', columns: undefined, lines: [{ a: 4, b: 'v' }] },
    ])
  })

  it('refuses with OverloadedError beyond the bound and queues nothing', () => {
    const { client } = recordingClient()
    const w = new BatchedWriter(client, { batchSize: 100, flushMs: 60_000, maxQueuedRows: 5 })
    void w.write('t', rows(4))
    expect(() => w.write('t', rows(2))).toThrow(OverloadedError)
    expect(w.depth).toBe(4)
  })

  it('holds reserved room: others are refused it, the holder\'s writes are not, release gives back the rest', async () => {
    const { client } = recordingClient()
    const w = new BatchedWriter(client, { batchSize: 100, flushMs: 60_000, maxQueuedRows: 10 })
    const room = w.reserve(6)
    expect(() => w.reserve(5)).toThrow(OverloadedError)
    void w.write('other', rows(4)) // the room left
    expect(() => w.write('other', rows(1))).toThrow(OverloadedError)
    void w.write('decisions', rows(2), room)
    void w.write('raw_events', rows(3), room)
    expect(room.rows).toBe(1)
    expect(w.depth).toBe(9)
    expect(w.canAccept(1)).toBe(false) // the unused reserved row still counts
    room.release()
    room.release()
    expect(w.canAccept(1)).toBe(true)
    expect(w.canAccept(2)).toBe(false)
    // A write larger than what is left of a reservation is checked for the excess only.
    const small = w.reserve(1)
    expect(() => w.write('t', rows(2), small)).toThrow(OverloadedError)
    expect(small.rows).toBe(1) // a refused write takes nothing from the reservation
    void w.write('t', rows(1), small)
    expect(w.depth).toBe(10)
    await w.close().catch(() => {})
  })

  it('retries transient errors and then succeeds', async () => {
    const rec = recordingClient({ failTimes: 2, error: Object.assign(new Error('Too many parts'), { code: '252' }) })
    const w = new BatchedWriter(rec.client, { batchSize: 1, flushMs: 1, maxQueuedRows: 10, retryBaseMs: 1 })
    await w.write('t', rows(1))
    expect(rec.inserts).toEqual([{ table: 't', rows: 1 }])
  })

  it('does not retry a permanent error and rejects the writers of that batch', async () => {
    const rec = recordingClient({ failTimes: 1, error: Object.assign(new Error('Unknown column'), { code: '16' }) })
    const w = new BatchedWriter(rec.client, { batchSize: 100, flushMs: 1, maxQueuedRows: 10, retryBaseMs: 1 })
    await expect(w.write('t', rows(1))).rejects.toThrow('Unknown column')
    expect(w.depth).toBe(0)
    await w.write('t', rows(1)) // the writer keeps working
    expect(rec.inserts).toEqual([{ table: 't', rows: 1 }])
  })

  it('drains everything queued on close and refuses writes after', async () => {
    const { client, inserts } = recordingClient()
    const w = new BatchedWriter(client, { batchSize: 100, flushMs: 60_000, maxQueuedRows: 1000 })
    const pending = w.write('t', rows(7))
    await w.close()
    await pending
    expect(inserts).toEqual([{ table: 't', rows: 7 }])
    await expect(w.write('t', rows(1))).rejects.toThrow('shut down')
  })

  // Issue 13: one producer's unparseable row used to fail the merged insert, and with it
  // every other producer's request in the batch.
  describe('a chunk the store refuses for its content', () => {
    /** Refuses (permanently) any insert holding a row marked bad; records the rest. */
    function pickyClient(opts: { transientAfter?: number } = {}) {
      const stored: number[] = []
      let inFlight = 0, maxInFlight = 0, calls = 0
      const client: Pick<RowSink, 'insertJsonLines'> = {
        async insertJsonLines(_table, body) {
          const values = linesOf(body) as { i: number; bad?: boolean }[]
          calls++
          inFlight++
          maxInFlight = Math.max(maxInFlight, inFlight)
          try {
            await new Promise((r) => setImmediate(r))
            if (opts.transientAfter !== undefined && calls > opts.transientAfter) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
            if (values.some((v) => v.bad)) throw Object.assign(new Error('Cannot parse escape sequence'), { code: '411' })
            stored.push(...values.map((v) => v.i))
          } finally { inFlight-- }
        },
      }
      return { client, stored, maxInFlight: () => maxInFlight, calls: () => calls }
    }
    const chunk = (i: number, bad = false) => [{ i, ...(bad ? { bad } : {}) }]
    const settle = (ps: Promise<void>[]) => Promise.allSettled(ps).then((r) => r.map((x) => x.status))

    it('fails only the refused chunk and stores its neighbours once, in order, one insert at a time', async () => {
      const rec = pickyClient()
      const w = new BatchedWriter(rec.client, { batchSize: 100, flushMs: 1, maxQueuedRows: 1000, retryBaseMs: 1 })
      const outcome = await settle(Array.from({ length: 9 }, (_, i) => w.write('t', chunk(i, i === 5))))
      expect(outcome).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled'])
      expect(rec.stored).toEqual([0, 1, 2, 3, 4, 6, 7, 8])
      expect(rec.maxInFlight()).toBe(1)
      expect(w.depth).toBe(0)
    })

    it('finds several refused chunks, and passes the store\'s error to their callers', async () => {
      const rec = pickyClient()
      const w = new BatchedWriter(rec.client, { batchSize: 100, flushMs: 1, maxQueuedRows: 1000, retryBaseMs: 1 })
      const writes = Array.from({ length: 16 }, (_, i) => w.write('t', chunk(i, i === 0 || i === 9 || i === 10)))
      const outcome = await settle(writes)
      await expect(writes[9]).rejects.toThrow('Cannot parse escape sequence')
      expect(outcome.flatMap((s, i) => (s === 'rejected' ? [i] : []))).toEqual([0, 9, 10])
      expect(rec.stored.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 14, 15])
    })

    it('costs about log2(n) inserts to find one refused chunk among n, not n', async () => {
      const rec = pickyClient()
      const w = new BatchedWriter(rec.client, { batchSize: 1000, flushMs: 1, maxQueuedRows: 1000, retryBaseMs: 1 })
      const outcome = await settle(Array.from({ length: 64 }, (_, i) => w.write('t', chunk(i, i === 41))))
      expect(outcome.indexOf('rejected')).toBe(41)
      expect(outcome.filter((s) => s === 'rejected')).toHaveLength(1)
      expect(rec.stored).toHaveLength(63)
      expect(rec.calls()).toBeLessThanOrEqual(1 + 2 * Math.log2(64))
    })

    it('does not bisect when the store is down: every caller of the batch is refused', async () => {
      const rec = pickyClient({ transientAfter: 0 })
      const w = new BatchedWriter(rec.client, { batchSize: 100, flushMs: 1, maxQueuedRows: 1000, maxRetries: 1, retryBaseMs: 1 })
      const outcome = await settle(Array.from({ length: 4 }, (_, i) => w.write('t', chunk(i, i === 2))))
      expect(outcome).toEqual(['rejected', 'rejected', 'rejected', 'rejected'])
      expect(rec.calls()).toBe(2) // the merged insert and its one retry, no bisection
    })
  })

  it.each([
    [{ code: '252', message: 'Too many parts' }, true],
    [{ code: '241', message: 'Memory limit exceeded' }, true],
    [{ message: 'socket hang up' }, true],
    [{ code: '62', message: 'Syntax error' }, false],
    [{ code: '16', message: 'No such column' }, false],
  ])('classifies %o as transient=%s', (error, transient) => {
    expect(isTransientError(error)).toBe(transient)
  })
})
