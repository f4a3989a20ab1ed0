// Issue 5 benchmark: latency from an HTTP ingest being acknowledged to the decision
// arriving at connected Socket.IO clients (50 of them), at 1,000 and 10,000 events/s.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io, type Socket } from 'socket.io-client'
import { DEMO_NETWORK_PATH, readNetworkFile } from '../../server/network/network-file.js'
import { benchReturnRequests } from './generators.js'
import { BENCH_INGEST_KEY, BENCH_VIEWER_KEY, startServerProcess } from '../helpers/server-process.js'
import { quantile, round, sleep } from './stats.js'

const CLIENTS = 50
const BATCH = 500

async function connectClients(url: string, n: number): Promise<Socket[]> {
  return Promise.all(Array.from({ length: n }, () => new Promise<Socket>((resolve, reject) => {
    const s = io(url, { auth: { key: BENCH_VIEWER_KEY }, transports: ['websocket'], forceNew: true, reconnection: false })
    s.once('connect', () => s.emit('subscribe', ['decisions'], () => resolve(s)))
    s.once('connect_error', reject)
  })))
}

async function runAt(url: string, clients: Socket[], eventsPerSecond: number, seconds: number, seed: number, skus: { sku: string; price: number }[]) {
  const acked = new Map<string, number>()
  const arrivals: { id: string; at: number }[] = []
  const onDecisions = (p: { items: { decisionId: string }[] }) => {
    const at = performance.now()
    for (const d of p.items) arrivals.push({ id: d.decisionId, at })
  }
  for (const c of clients) c.on('decisions', onDecisions)
  const total = eventsPerSecond * seconds
  const events = benchReturnRequests(total, seed, skus)
  const intervalMs = (BATCH / eventsPerSecond) * 1000
  const started = performance.now()
  const inflight: Promise<void>[] = []
  let refused = 0
  for (let i = 0; i * BATCH < total; i++) {
    const wait = started + i * intervalMs - performance.now()
    if (wait > 0) await sleep(wait)
    const body = events.slice(i * BATCH, (i + 1) * BATCH).map((e) => JSON.stringify(e)).join('\n')
    inflight.push(fetch(`${url}/api/v1/events`, {
      method: 'POST', headers: { authorization: `Bearer ${BENCH_INGEST_KEY}`, 'content-type': 'application/x-ndjson' }, body,
    }).then(async (res) => {
      const at = performance.now()
      if (res.status !== 200) { refused++; await res.arrayBuffer(); return }
      const json = (await res.json()) as { results: { decisions?: { decisionId: string }[] }[] }
      for (const r of json.results) for (const d of r.decisions ?? []) acked.set(d.decisionId, at)
    }))
  }
  await Promise.all(inflight)
  const achieved = total / ((performance.now() - started) / 1000)
  await sleep(600) // the last coalescing ticks
  for (const c of clients) c.off('decisions', onDecisions)
  const latencies: number[] = []
  for (const a of arrivals) {
    const ack = acked.get(a.id)
    // The decision is published when durable, just before the answer is written, so it
    // can beat the answer to the client: count that as zero.
    if (ack !== undefined) latencies.push(Math.max(0, a.at - ack))
  }
  latencies.sort((a, b) => a - b)
  return {
    targetEventsPerSec: eventsPerSecond, achievedEventsPerSec: round(achieved, 0), refusedRequests: refused,
    deliveredToClients: latencies.length, p50Ms: round(quantile(latencies, 0.5), 1), p99Ms: round(quantile(latencies, 0.99), 1),
  }
}

export async function runLiveBench() {
  const network = await readNetworkFile(DEMO_NETWORK_PATH)
  const skus = [...network.catalog.values()].map((c) => ({ sku: c.sku, price: c.price }))
  const dataDir = mkdtempSync(join(tmpdir(), 'revnav-bench-live-'))
  const server = await startServerProcess(dataDir)
  const clients = await connectClients(server.url, CLIENTS)
  try {
    const low = await runAt(server.url, clients, 1_000, 10, 1, skus)
    const high = await runAt(server.url, clients, 10_000, 10, 2, skus)
    return {
      clients: CLIENTS, batchSize: BATCH, at1k: low, at10k: high,
      note: 'the live layer coalesces to ≤5 messages/s per room with the newest 50 items each, so at high rates most decisions are summarised, not delivered one by one; latencies are of the delivered ones',
    }
  } finally {
    for (const c of clients) c.close()
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runLiveBench().then((r) => console.log(JSON.stringify(r, null, 2)))
}
