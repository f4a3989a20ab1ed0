// Issue 13 benchmark: overload is shed, not queued. First the unloaded peak (a few
// producers, closed loop), then many producers × 10,000-event NDJSON for a while, each
// honouring 503 + Retry-After by resending the same batch. Prints, with pass/miss against
// the targets: the slowest answer and the share over 10 s, /healthz p99 (polled
// every 100 ms from a worker thread, so the load generator's own work does not count),
// the server's peak RSS, acknowledged events missing from the store afterwards, and the
// accepted rate over the unloaded peak.
//
// BENCH_OVERLOAD_SECONDS (60), BENCH_OVERLOAD_PRODUCERS (32), BENCH_OVERLOAD_BATCH (10000),
// BENCH_OVERLOAD_PEAK_BATCHES (6) shorten or reshape it.
import { Agent as HttpAgent, request as httpRequest } from 'node:http'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { z } from 'zod'
import { DEMO_NETWORK_PATH, readNetworkFile } from '../../server/network/network-file.js'
import { openStore } from '../../server/store/client.js'
import { text } from '../../server/store/columns.js'
import { query } from '../../server/store/query.js'
import { postExpectingContinue, type PostAnswer } from '../../server/producer/expect-post.js'
import { BENCH_INGEST_KEY, startServerProcess, type ServerProcess } from '../helpers/server-process.js'
import { benchReturnRequests } from './generators.js'
import { benchSql } from './sql.js'
import { quantile, round, sleep } from './stats.js'

const TARGET = { answerMs: 10_000, healthP99Ms: 250, rssMb: 2048, lost: 0, acceptedOverPeak: 0.8 }

interface Options { seconds: number; producers: number; batch: number; peakBatches: number; peakProducers: number }

function optionsFromEnv(over: Partial<Options>): Options {
  const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback)
  return {
    seconds: over.seconds ?? num('BENCH_OVERLOAD_SECONDS', 60),
    producers: over.producers ?? num('BENCH_OVERLOAD_PRODUCERS', 32),
    batch: over.batch ?? num('BENCH_OVERLOAD_BATCH', 10_000),
    peakBatches: over.peakBatches ?? num('BENCH_OVERLOAD_PEAK_BATCHES', 6),
    // A few in flight: enough for routing of one batch to overlap the write of another.
    peakProducers: over.peakProducers ?? 3,
  }
}

/**
 * Fresh batches (distinct event ids), each remembered with its ids, encoded once. Made
 * ahead of the overload window (prepare), so the load generator spends its share of the
 * machine's two cores sending, not generating: real producers are other machines.
 */
class Batches {
  private seed = 1_000
  private readonly ready: { body: Buffer; ids: string[] }[] = []
  /** Batches that had to be made during the run because none was prepared. */
  madeOnDemand = 0
  constructor(private readonly size: number, private readonly skus: { sku: string; price: number }[]) {}
  prepare(count: number): void {
    for (let i = 0; i < count; i++) this.ready.push(this.make())
  }
  next(): { body: Buffer; ids: string[] } {
    const prepared = this.ready.shift()
    if (prepared) return prepared
    this.madeOnDemand++
    return this.make()
  }
  private make(): { body: Buffer; ids: string[] } {
    const events = benchReturnRequests(this.size, this.seed++, this.skus)
    return { body: Buffer.from(events.map((e) => JSON.stringify(e)).join('\n')), ids: events.map((e) => e.eventId) }
  }
}

interface Answer { status: number; ms: number; accepted: string[]; retryAfterS: number }

/** Kept-alive connections for the producers that upload without asking. */
const uploadAgent = new HttpAgent({ keepAlive: true })

/**
 * A POST that sends its body straight away, whatever the server answers first. Through
 * node:http rather than fetch: undici's fetch spends several times the CPU per uploaded
 * megabyte (docs/benchmarks.md, Overload), and the load generator shares the server's two
 * cores, where real producers are other machines.
 */
function postRegardless(url: string, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', agent: uploadAgent, headers: { ...headers, 'content-length': body.length }, timeout: timeoutMs })
    req.on('timeout', () => req.destroy(new Error(`no answer from ${url} within ${timeoutMs} ms`)))
    req.on('error', reject)
    req.on('response', (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }))
    })
    req.end(body)
  })
}

/**
 * One POST of a batch. Producers ask first (Expect: 100-continue, as revnav's own importer
 * and simulator do), so a shed batch is not uploaded; BENCH_OVERLOAD_EXPECT=0 sends bodies
 * straight away, as a producer that does not ask would (BENCH_OVERLOAD_CLIENT=fetch: through
 * fetch, as the bench did before).
 */
async function send(url: string, body: Buffer): Promise<Answer> {
  const started = performance.now()
  const headers = { authorization: `Bearer ${BENCH_INGEST_KEY}`, 'content-type': 'application/x-ndjson' }
  try {
    let status: number, text: string, retryAfter: string | null
    if (process.env.BENCH_OVERLOAD_EXPECT === '0' && process.env.BENCH_OVERLOAD_CLIENT === 'fetch') {
      const res = await fetch(`${url}/api/v1/events`, { method: 'POST', headers, body: body as unknown as Uint8Array<ArrayBuffer> })
      ;[status, text, retryAfter] = [res.status, await res.text(), res.headers.get('retry-after')]
    } else if (process.env.BENCH_OVERLOAD_EXPECT === '0') {
      const res = await postRegardless(`${url}/api/v1/events`, headers, body, 120_000)
      ;[status, text, retryAfter] = [res.status, res.text, typeof res.headers['retry-after'] === 'string' ? res.headers['retry-after'] : null]
    } else {
      const res = await postExpectingContinue(`${url}/api/v1/events`, headers, body, 120_000)
      ;[status, text, retryAfter] = [res.status, res.text, typeof res.headers['retry-after'] === 'string' ? res.headers['retry-after'] : null]
    }
    const ms = performance.now() - started
    const accepted: string[] = []
    if (status === 200) {
      for (const r of (JSON.parse(text) as { results: { status: string; eventId?: string }[] }).results) {
        if (r.status === 'accepted' && r.eventId) accepted.push(r.eventId)
      }
    }
    return { status, ms, accepted, retryAfterS: Number(retryAfter ?? 1) }
  } catch {
    // A connection error is an unanswered request (status 0).
    return { status: 0, ms: performance.now() - started, accepted: [], retryAfterS: 1 }
  }
}

/**
 * Closed loop: each producer sends a batch, resends it after Retry-After on a 503, and
 * takes the next once it is accepted, until `until()` says stop (a batch still refused
 * then is given up: it was never acknowledged).
 */
async function produce(url: string, producers: number, batches: Batches, until: (sentBatches: number) => boolean, deadline = Number.POSITIVE_INFINITY) {
  const answers: Answer[] = []
  const acknowledged: string[] = []
  let sent = 0
  await Promise.all(Array.from({ length: producers }, async () => {
    while (!until(sent)) {
      sent++
      const batch = batches.next()
      for (;;) {
        const answer = await send(url, batch.body)
        answers.push(answer)
        for (const id of answer.accepted) acknowledged.push(id)
        if (answer.status === 200) break
        // Past the deadline a refused batch is given up rather than waited for.
        const wait = Math.min(answer.retryAfterS * 1000, deadline - performance.now())
        if (wait <= 0) break
        await sleep(wait)
        if (performance.now() >= deadline) break
      }
    }
  }))
  return { answers, acknowledged }
}

/** Polls /healthz every `everyMs` from a worker thread; stop() gives every answer time. */
function pollHealth(url: string, everyMs: number): { stop(): Promise<number[]> } {
  const worker = new Worker(`
    const { parentPort, workerData } = require('node:worker_threads')
    const times = []
    let inflight = 0
    const poll = async () => {
      const started = performance.now()
      inflight++
      try { const res = await fetch(workerData.url + '/healthz'); await res.text(); times.push(res.status === 200 ? performance.now() - started : Infinity) }
      catch { times.push(Infinity) }
      inflight--
    }
    const timer = setInterval(poll, workerData.everyMs)
    parentPort.on('message', async () => {
      clearInterval(timer)
      while (inflight > 0) await new Promise((r) => setTimeout(r, 10))
      parentPort.postMessage(times)
    })
  `, { eval: true, workerData: { url, everyMs } })
  return {
    stop: () => new Promise<number[]>((resolve) => {
      worker.once('message', (times: number[]) => { void worker.terminate(); resolve(times) })
      worker.postMessage('stop')
    }),
  }
}

/** Samples the server's resident set (VmRSS) every `everyMs`; peak() in MB. */
function sampleRss(server: ServerProcess, everyMs: number): { stop(): number } {
  let peak = 0
  const read = () => {
    try {
      const kb = Number(readFileSync(`/proc/${server.proc.pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)?.[1] ?? 0)
      peak = Math.max(peak, kb / 1024)
    } catch { /* the process is gone */ }
  }
  const timer = setInterval(read, everyMs)
  read()
  return { stop: () => { clearInterval(timer); read(); return peak } }
}

/**
 * CPU seconds of each of a process's threads so far, grouped: its JS thread ('js', the
 * thread whose id is the process's) and the others by name without digits (chDB's pools
 * name theirs). Where the two cores went during the load says who the JS thread, and so
 * /healthz, was competing with.
 */
function threadCpuSeconds(pid: number): Record<string, number> {
  const ticksPerSecond = 100 // Linux's USER_HZ
  const byGroup: Record<string, number> = {}
  let tids: string[] = []
  try { tids = readdirSync(`/proc/${pid}/task`) } catch { return byGroup }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      // utime and stime are fields 14 and 15 of stat, 12 and 13 after the name and state.
      const seconds = (Number(fields[11]) + Number(fields[12])) / ticksPerSecond
      const group = tid === String(pid) ? 'js' : name.replace(/[0-9]+/g, '').trim() || 'thread'
      byGroup[group] = (byGroup[group] ?? 0) + seconds
    } catch { /* the thread ended */ }
  }
  return byGroup
}

function cpuDuring(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const used: Record<string, number> = {}
  for (const [group, seconds] of Object.entries(after)) {
    const delta = seconds - (before[group] ?? 0)
    if (delta >= 0.5) used[group] = round(delta, 1)
  }
  return Object.fromEntries(Object.entries(used).sort(([, a], [, b]) => b - a))
}

const verdict = (ok: boolean) => (ok ? 'pass' : 'miss')

export async function runOverloadBench(over: Partial<Options> = {}) {
  const opts = optionsFromEnv(over)
  const network = await readNetworkFile(DEMO_NETWORK_PATH)
  const batches = new Batches(opts.batch, [...network.catalog.values()].map((c) => ({ sku: c.sku, price: c.price })))
  const dataDir = mkdtempSync(join(tmpdir(), 'revnav-bench-overload-'))
  let server: ServerProcess | undefined = await startServerProcess(dataDir)
  try {
    // Unloaded peak: a warm-up batch (JIT, first parts), then a few producers closed-loop.
    await produce(server.url, 1, batches, (n) => n >= 1)
    let started = performance.now()
    const peakRun = await produce(server.url, opts.peakProducers, batches, (n) => n >= opts.peakBatches)
    const peakRate = peakRun.acknowledged.length / ((performance.now() - started) / 1000)
    // Enough for every producer's first batch and what the server could take at its peak.
    batches.prepare(opts.producers + Math.ceil((peakRate * opts.seconds * 1.2) / opts.batch))
    batches.madeOnDemand = 0

    // Overload: many producers for `seconds`; requests in flight at the end are waited for.
    const health = pollHealth(server.url, 100)
    const rss = sampleRss(server, 200)
    const serverCpuBefore = threadCpuSeconds(server.proc.pid!)
    const benchCpuBefore = process.cpuUsage()
    started = performance.now()
    const deadline = started + opts.seconds * 1000
    const load = await produce(server.url, opts.producers, batches, () => performance.now() >= deadline, deadline)
    const loadSeconds = (performance.now() - started) / 1000
    const serverCpu = cpuDuring(serverCpuBefore, threadCpuSeconds(server.proc.pid!))
    const benchCpu = process.cpuUsage(benchCpuBefore)
    const healthMs = (await health.stop()).sort((a, b) => a - b)
    const peakRssMb = rss.stop()

    // Every acknowledged event must be in the store: stop the server (it drains) and read
    // its store directly.
    await server.stop()
    server = undefined
    const store = await openStore({ DATA_DIR: dataDir, CLICKHOUSE_DATABASE: 'revnav', CLICKHOUSE_USER: 'default', CLICKHOUSE_PASSWORD: '' })
    let lost: number
    try {
      const rows = await query(store.client, { query: benchSql('raw-events-ids'), tag: 'bench.overload.stored', schema: z.object({ event_id: text }) })
      const stored = new Set(rows.map((r) => r.event_id))
      const acknowledged = [...peakRun.acknowledged, ...load.acknowledged]
      lost = acknowledged.filter((id) => !stored.has(id)).length
    } finally {
      await store.close()
    }

    const answerMs = load.answers.map((a) => a.ms).sort((a, b) => a - b)
    const byStatus: Record<string, number> = {}
    for (const a of load.answers) byStatus[a.status] = (byStatus[a.status] ?? 0) + 1
    const answeredOk = load.answers.every((a) => a.status === 200 || a.status === 503)
    const over10s = answerMs.filter((ms) => ms > TARGET.answerMs).length / Math.max(1, answerMs.length)
    const maxAnswer = answerMs.at(-1) ?? 0
    const acceptedRate = load.acknowledged.length / loadSeconds
    const healthP99 = quantile(healthMs, 0.99)
    return {
      producers: opts.producers, batchEvents: opts.batch, loadSeconds: round(loadSeconds, 1),
      unloadedPeakEventsPerSec: round(peakRate, 0),
      requests: load.answers.length, answersByStatus: byStatus,
      everyRequestAnswered: {
        maxAnswerMs: round(maxAnswer, 0), shareOver10s: round(over10s, 4), onlyOkOr503: answeredOk,
        verdict: verdict(answeredOk && maxAnswer <= TARGET.answerMs),
      },
      healthz: { polls: healthMs.length, p50Ms: round(quantile(healthMs, 0.5), 1), p99Ms: round(healthP99, 1), maxMs: round(healthMs.at(-1) ?? 0, 1), verdict: verdict(healthP99 < TARGET.healthP99Ms) },
      serverRssPeakMb: { value: round(peakRssMb, 0), verdict: verdict(peakRssMb < TARGET.rssMb) },
      acknowledgedLost: { acknowledged: peakRun.acknowledged.length + load.acknowledged.length, lost, verdict: verdict(lost === TARGET.lost) },
      acceptedRate: {
        eventsPerSec: round(acceptedRate, 0), overUnloadedPeak: round(acceptedRate / peakRate, 3),
        verdict: verdict(acceptedRate >= TARGET.acceptedOverPeak * peakRate),
      },
      cpuSecondsDuringLoad: {
        server: serverCpu,
        loadGenerator: round((benchCpu.user + benchCpu.system) / 1e6, 1),
        batchesMadeDuringLoad: batches.madeOnDemand,
        machineLoadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ')[0],
      },
      note: 'answer times are per HTTP request, a 503 and its resend counted apart; /healthz from a worker thread every 100 ms; RSS sampled every 200 ms (VmRSS); batches made before the overload window.',
    }
  } finally {
    await server?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runOverloadBench().then((r) => console.log(JSON.stringify(r, null, 2)))
}
