// What one navigator checkpoint costs, by the number of open returns in the state
// (figures, never asserts): CPU of the synchronous cut (the snapshot, which holds the
// event loop), the write to a fresh store and reading it back as a restart does, the heap
// after the cut and the process's peak RSS. One state size and one process per run, so
// the peak belongs to that run:
//   npx tsx test/bench/checkpoint-cost.ts <openReturns> [--write]
// The state: DECIDED returns decided on the demo network, then their entries copied under
// other ids up to <openReturns> (deciding 200,000 returns would take minutes; a copy
// is as large and as deep as the return it copies).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_WEIGHTS_VERSION, Navigator } from '../../server/navigator/engine.js'
import { loadNetworkOrThrow } from '../../server/navigator/network.js'
import { networkFingerprint, SNAPSHOT_FORMAT, toSnapshotChunks } from '../../server/navigator/snapshot.js'
import { NavigatorState, OpenReturn } from '../../server/navigator/state.js'
import { DEMO_NETWORK_PATH } from '../../server/network/network-file.js'
import { insertCheckpoint } from '../../server/store/checkpoint-repo.js'
import { loadCheckpoint } from '../../server/navigator-service/restore.js'
import { openStore } from '../../server/store/client.js'
import { migrate } from '../../server/store/migrate.js'
import { benchReturnRequests } from './generators.js'

const DECIDED = 20_000
/** Tables keyed by return or by decision: copied with the return. */
const PER_RETURN = new Set(['openReturns', 'openDecisionRma', 'reservationsByDecision'])

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))
  return m ? Math.round(Number(m[1]) / 1024) : NaN
}

/** A copy of an open return, packed as the live state packs all but its latest returns. */
function copyOf(open: OpenReturn): OpenReturn {
  const copy = OpenReturn.fromJSON(JSON.parse(open.toJSONText()))
  copy.pack()
  return copy
}

export function stateWithOpenReturns(openReturns: number) {
  const network = loadNetworkOrThrow(JSON.parse(readFileSync(DEMO_NETWORK_PATH, 'utf8')))
  let n = 0
  const nav = new Navigator(network, () => `snap-${++n}`, () => `tok-${n}`)
  const at = new Date()
  const skus = network.file.catalog.map((c) => ({ sku: c.sku, price: c.price ?? 100 }))
  for (const r of benchReturnRequests(Math.min(openReturns, DECIDED), 5, skus)) nav.applyEvent({ ...r, occurredAt: at.toISOString() }, at, DEFAULT_WEIGHTS_VERSION)
  const tables = nav.state.tables()
  const copies = Math.ceil(openReturns / DECIDED)
  for (const name of PER_RETURN) {
    const base = tables[name]
    const out: [unknown, unknown][] = []
    for (let c = 0; c < copies; c++) for (const [k, v] of base) out.push([c === 0 ? k : `${String(k)}~${c}`, name === 'openReturns' ? copyOf(v as OpenReturn) : v])
    tables[name] = name === 'openReturns' ? out.slice(0, openReturns) : out
  }
  const state = new NavigatorState(network)
  state.loadTables(tables)
  return { network, state }
}

async function main() {
  const openReturns = Number(process.argv[2] ?? 50_000)
  const write = process.argv.includes('--write')
  const { network, state } = stateWithOpenReturns(openReturns)
  global.gc?.()
  const heapBefore = process.memoryUsage().heapUsed
  const c0 = process.cpuUsage()
  const t0 = performance.now()
  const chunks: (Buffer | null)[] = toSnapshotChunks(state)
  const snapshotWallMs = performance.now() - t0
  const c = process.cpuUsage(c0)
  const heapAfterMb = Math.round((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20)
  const chars = chunks.reduce((s, x) => s + x!.length, 0) // bytes
  const out: Record<string, unknown> = {
    openReturns, format: SNAPSHOT_FORMAT, chunks: chunks.length, megabytes: Math.round(chars / 1e6),
    snapshotCpuMs: Math.round((c.user + c.system) / 1000), snapshotWallMs: Math.round(snapshotWallMs),
    snapshotCpuUsPerReturn: Math.round((c.user + c.system) / openReturns * 10) / 10,
    heapHeldAfterCutMb: heapAfterMb,
  }
  if (write) {
    const dir = mkdtempSync(join(tmpdir(), 'revnav-checkpoint-cost-'))
    try {
      const store = await openStore({ DATA_DIR: dir, CLICKHOUSE_DATABASE: 'revnav' } as Parameters<typeof openStore>[0])
      await migrate(store.client)
      const t1 = performance.now()
      const w0 = process.cpuUsage()
      const header = { takenAtMs: Date.now(), format: SNAPSHOT_FORMAT, network: networkFingerprint(network), cut: { receivedAtMs: 0, eventIds: [], decisionIds: [] } }
      out.bytes = await insertCheckpoint(store.client, store.rows, header, chunks)
      const w = process.cpuUsage(w0)
      out.writeMs = Math.round(performance.now() - t1)
      out.writeCpuMs = Math.round((w.user + w.system) / 1000)
      out.writeUsPerReturn = Math.round((out.writeMs as number) * 1000 / openReturns * 10) / 10
      // Read back as a restart does: the headers, then the state.
      const skipped: string[] = []
      const t2 = performance.now()
      const loaded = await loadCheckpoint(store.client, network, skipped)
      out.loadMs = Math.round(performance.now() - t2)
      out.loadedOpenReturns = loaded ? loaded.state.tables().openReturns.length : skipped.join('; ')
      await store.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  out.peakRssMb = peakRssMb()
  console.log(JSON.stringify(out))
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
