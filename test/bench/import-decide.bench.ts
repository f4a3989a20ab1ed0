// The JS side of an import with --decide, without the store (figures, never asserts): the
// import bench's credit notes (IMPORT_DECIDE_BENCH_ROWS rows, 20,000 by default) mapped as
// the importer maps them, then every event routed as the --data-dir runtime routes it (a
// journal and ids per event, decided as of the event's time) and the rows built that the
// store would be handed. Per return line, for deciding and for building rows: the JS
// thread's CPU (from /proc) and the bytes the heap allocated. Neither depends much on the
// load, so two trees compare on a shared machine. Medians over ROUNDS rounds after one to
// warm up. Run alone: `npx tsx test/bench/import-decide.bench.ts`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Decision } from '../../server/contracts/decision.js'
import type { DecisionRecord } from '../../server/contracts/decision-record.js'
import { Event } from '../../server/contracts/events.js'
import { importRecords, readSourceFile } from '../../server/import/importer.js'
import { RowMapper } from '../../server/import/mapping.js'
import { DEFAULT_POLICY, DEFAULT_WEIGHTS, Navigator } from '../../server/navigator/engine.js'
import { EventScopedIds } from '../../server/navigator-service/ids.js'
import { decisionTime } from '../../server/navigator-service/service.js'
import { DEMO_NETWORK_PATH, readNetworkFile } from '../../server/network/network-file.js'
import { JsonLines } from '../../server/store/json-lines.js'
import { toChTime } from '../../server/store/query.js'
import { decisionLines, decisionValues, rawEventRow } from '../../server/store/rows.js'
import { generateExport, jsThreadSched, MAPPING, withHeapFigures } from './import.bench.js'
import { median, round } from './stats.js'

const ROWS = Number(process.env.IMPORT_DECIDE_BENCH_ROWS ?? 20_000)
const ROUNDS = 3

/** The events the importer hands its sink for the export, parsed as the ingestor would. */
async function importedEvents(file: string): Promise<Event[]> {
  const events: Event[] = []
  await importRecords(readSourceFile(file, 'csv'), new RowMapper(MAPPING), {
    async send(batch, checked) {
      batch.forEach((e, i) => events.push(checked?.[i] ? e : Event.parse(e)))
      return batch.map(() => ({ status: 'accepted' as const }))
    },
  }, { batchSize: 5000, concurrency: 1, closeBefore: new Date(), feedCatalog: true })
  return events
}

async function measured<T>(run: () => T) {
  const t0 = jsThreadSched().onCpu
  const heap = await withHeapFigures(async () => run())
  return { result: heap.result, jsSeconds: jsThreadSched().onCpu - t0, allocatedBytes: heap.allocatedBytes }
}

async function oneRound(events: Event[]) {
  const network = await readNetworkFile(DEMO_NETWORK_PATH)
  const weights = { version: 1, author: 'bench', createdAt: '2026-01-01T00:00:00Z', weights: DEFAULT_WEIGHTS, policy: { ...DEFAULT_POLICY, ...network.file.policy } }
  const ids = new EventScopedIds()
  const navigator = new Navigator(network, ids.newId, ids.newToken)
  const state = navigator.state
  const receivedAt = new Date()
  let lines = 0
  // As the navigator service's router: ids and an undo journal per event, decided as of the event's time.
  const decide = await measured(() => {
    const records: DecisionRecord[] = []
    for (const event of events) {
      ids.beginEvent(event.eventId)
      state.beginJournal()
      if (event.type === 'return.requested') {
        state.journalReturn(event.rmaId)
        lines += event.lines.length
      }
      const decided: Decision[] = navigator.applyEvent(event, decisionTime(event, receivedAt), weights)
      state.takeJournal()
      for (const decision of decided) {
        const request = state.openReturn(decision.rmaId)?.request
        records.push({
          decision, receivedAt, eventId: event.eventId, reason: request?.lines[decision.lineIndex]?.reason ?? '',
          category: state.catalogItem(decision.sku)?.category ?? network.file.rules.unknownSkuCategory,
        })
      }
    }
    return records
  })
  const rows = await measured(() => {
    const decisionRows = decisionLines()
    for (const r of decide.result) decisionRows.push(decisionValues(r))
    const eventRows = new JsonLines()
    const receivedAtText = toChTime(receivedAt)
    for (const event of events) eventRows.push(rawEventRow(event, receivedAtText))
    return decisionRows.byteLength + eventRows.byteLength
  })
  return {
    lines,
    decideJsMicroseconds: decide.jsSeconds * 1e6 / lines, decideAllocatedKB: decide.allocatedBytes / 1e3 / lines,
    rowsJsMicroseconds: rows.jsSeconds * 1e6 / lines, rowsAllocatedKB: rows.allocatedBytes / 1e3 / lines,
  }
}

export async function runImportDecideBench() {
  const dir = mkdtempSync(join(tmpdir(), 'revnav-bench-import-decide-'))
  try {
    const file = join(dir, 'returns.csv')
    generateExport(file, ROWS, true)
    const events = await importedEvents(file)
    await oneRound(events) // warm-up: the code optimised, the caches filled
    const rounds: Awaited<ReturnType<typeof oneRound>>[] = []
    for (let i = 0; i < ROUNDS; i++) rounds.push(await oneRound(events))
    const pick = (k: keyof (typeof rounds)[number]) => round(median(rounds.map((r) => r[k])), 1)
    return {
      returnLines: rounds[0].lines, events: events.length,
      perReturnLine: {
        decideJsThreadMicroseconds: pick('decideJsMicroseconds'), decideHeapAllocatedKB: pick('decideAllocatedKB'),
        rowsJsThreadMicroseconds: pick('rowsJsMicroseconds'), rowsHeapAllocatedKB: pick('rowsAllocatedKB'),
      },
      load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
      note: `rows ${ROWS}; medians of ${ROUNDS} rounds after a warm-up; the JS thread only (the collector's helper threads and the store are not in these figures)`,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runImportDecideBench(), null, 2))
}
