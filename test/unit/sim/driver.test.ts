import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import type { Event } from '../../../server/contracts/events.js'
import { parseCli, progressLine } from '../../../server/sim/cli.js'
import { Backpressure, FatalSendError, SimDriver, type SendOutcome, type Sender } from '../../../server/sim/driver.js'
import { httpSender, retryAfterMs } from '../../../server/sim/http-sender.js'
import { SimWorld } from '../../../server/sim/world.js'
import { fixtureNetwork } from './network-fixture.js'

const START = Date.UTC(2026, 9, 1)
const DAY = 86_400_000
const network = fixtureNetwork()
const world = (seed = 1) => new SimWorld(network, { seed, startMs: START, ordersPerDay: 2000, defect: false, cancelShare: 0 })

/** A server stand-in: accepts everything; decides every return line as a courier refund. */
function accepting(log: Event[][] = []): Sender {
  return async (events) => {
    log.push(events)
    return {
      accepted: events.length, duplicates: 0, rejected: 0,
      results: events.map((e, index) => ({
        index, status: 'accepted' as const,
        ...(e.type === 'return.requested' ? {
          decisions: e.lines.map((_, lineIndex) => ({
            lineIndex, resolution: 'refund', inboundMode: 'courier_pickup', receivingNodeId: 'SH-WH', exchangeSourceNodeId: null, disposition: 'restock_new',
          })),
        } : {}),
      })),
    }
  }
}

describe('SimDriver', () => {
  it('sends in bounded batches and follows each decision with its lifecycle', async () => {
    const batches: Event[][] = []
    const driver = new SimDriver(world(), accepting(batches), { batchSize: 250, maxSpanMs: 3_600_000 })
    await driver.pump(START + 10 * DAY)
    expect(batches.every((b) => b.length <= 250)).toBe(true)
    for (const b of batches) {
      expect(Date.parse(b.at(-1)!.occurredAt) - Date.parse(b[0].occurredAt)).toBeLessThanOrEqual(3_600_000)
    }
    const all = batches.flat()
    const s = driver.stats
    expect(s.sent).toBe(all.length)
    expect(s.accepted).toBe(all.length)
    expect(s.decisions).toBe(all.filter((e) => e.type === 'return.requested').reduce((n, e) => n + (e.type === 'return.requested' ? e.lines.length : 0), 0))
    expect(all.some((e) => e.type === 'return.status' && e.status === 'closed')).toBe(true)
  })

  it('waits out backpressure and resends the same batch', async () => {
    let calls = 0
    const inner = accepting()
    const sent: string[][] = []
    const driver = new SimDriver(world(), async (events) => {
      sent.push(events.map((e) => e.eventId))
      if (++calls <= 2) throw new Backpressure(20)
      return inner(events)
    }, { batchSize: 100 })
    // The driver's clock: each wait it asks for is recorded and ends at once.
    const waits: number[] = []
    driver.sleep = async (ms: number) => { waits.push(ms) }
    await driver.pump(START + DAY / 4)
    expect(waits).toEqual([20, 20])
    expect(driver.stats.retries).toBe(2)
    expect(sent[1]).toEqual(sent[0])
    expect(sent[2]).toEqual(sent[0])
  })

  it('forgets a request that got no decision, and a rejected one', async () => {
    const w = world()
    const driver = new SimDriver(w, async (events): Promise<SendOutcome> => ({
      accepted: events.length, duplicates: 0, rejected: 0,
      results: events.map((_, index) => ({ index, status: 'accepted' as const })),
    }))
    await driver.pump(START + 5 * DAY)
    expect(w.stats.returnRequests).toBeGreaterThan(10)
    expect(w.openReturns).toBe(0)
    expect(w.stats.lifecycleEvents).toBe(0)
  })

  it('stops while waiting, and rethrows an answer no retry can fix', async () => {
    // A wait far longer than the test's timeout: only stop() can end it in time.
    let asked!: () => void
    const waiting = new Promise<void>((r) => { asked = r })
    const driver = new SimDriver(world(), async () => { asked(); throw new Backpressure(3_600_000) })
    const pumping = driver.pump(START + DAY)
    await waiting
    driver.stop()
    await pumping
    expect(driver.stats.retries).toBe(1)

    const fatal = new SimDriver(world(), async () => { throw new FatalSendError('403') })
    await expect(fatal.pump(START + DAY)).rejects.toThrow('403')
  })
})

describe('httpSender', () => {
  let server: Server | undefined
  afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())))

  it('posts NDJSON with the key, and turns 503 + Retry-After into Backpressure', async () => {
    const seen: { auth?: string; type?: string; lines: number }[] = []
    let n = 0
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        seen.push({ auth: req.headers.authorization, type: req.headers['content-type'], lines: body.split('\n').length })
        if (++n === 1) { res.writeHead(503, { 'retry-after': '2' }).end('{"error":"overloaded"}'); return }
        if (n === 2) { res.writeHead(401).end('{"error":"unauthorized"}'); return }
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: 1, duplicates: 0, rejected: 0, results: [] }))
      })
    })
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const send = httpSender({ url, key: 'k1' })
    const events = world().take(START + DAY, 3)
    const first = await send(events).catch((e) => e)
    expect(first).toBeInstanceOf(Backpressure)
    expect((first as Backpressure).retryAfterMs).toBe(2000)
    await expect(send(events)).rejects.toBeInstanceOf(FatalSendError)
    expect((await send(events)).accepted).toBe(1)
    expect(seen[0]).toEqual({ auth: 'Bearer k1', type: 'application/x-ndjson', lines: 3 })
  })

  it.each([
    [null, 1000], ['0', 0], ['3', 3000], ['Thu, 01 Jan 1970 00:00:05 GMT', 5000], ['soon', 1000],
  ])('Retry-After %s → %i ms', (header, ms) => {
    expect(retryAfterMs(header, 0)).toBe(ms)
  })
})

describe('simulate CLI arguments', () => {
  it('reads the documented flags with their defaults', () => {
    expect(parseCli(['--url', 'http://x:1', '--key', 'k', '--rate', '12', '--duration', '30', '--seed', '5', '--backfill-days', '2'])).toMatchObject({
      url: 'http://x:1', key: 'k', ratePerMin: 12, durationS: 30, seed: 5, backfillDays: 2, speedup: 360, batchSize: 1000, idPrefix: 'sim', emitSetup: true, flat: false,
    })
    expect(parseCli(['--url', 'u', '--key', 'k', '--no-setup', '--flat'])).toMatchObject({ ratePerMin: 30, durationS: 60, emitSetup: false, flat: true })
  })

  it.each([
    [['--key', 'k'], /--url/],
    [['--url', 'u'], /--key/],
    [['--url', 'u', '--key', 'k', '--rate', 'lots'], /--rate/],
    [['--url', 'u', '--key', 'k', '--batch', '20000'], /--batch/],
    [['--url', 'u', '--key', 'k', '--id-prefix', 'demo'], /reserved/],
    [['--url', 'u', '--key', 'k', '--bogus'], /bogus/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(message)
  })

  it('prints a progress line with counts and rate', () => {
    const line = progressLine({
      batches: 3, sent: 12345, accepted: 12300, duplicates: 40, rejected: 5, decisions: 321, retries: 0,
      simTime: '2026-11-26T04:00:00.000Z', elapsedMs: 9000, eventsPerSecond: 1500, openReturns: 17, phase: 'live',
    })
    expect(line).toContain('sent 12,345')
    expect(line).toContain('accepted 12,300')
    expect(line).toContain('duplicate 40')
    expect(line).toContain('rejected 5')
    expect(line).toContain('1,500 ev/s')
    expect(line).toContain('decisions 321')
  })
})
