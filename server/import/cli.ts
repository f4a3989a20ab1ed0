// npm run import -- <file|dir|glob>… [--map mapping.json] [--url U --key K | --data-dir D] [--decide]
// Imports orders and returns from another system's CSV or NDJSON export; see docs/importing.md.
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { loadConfig } from '../config.js'
import type { CatalogItem } from '../contracts/events.js'
import { DEFAULT_POLICY } from '../navigator/engine.js'
import { parseCsv } from '../csv.js'
import { Mapping, mappingFromFlags, RowMapper } from './mapping.js'
import { DEFAULT_BATCH, DEFAULT_CONCURRENCY, httpSink, importRecords, ingestorSink, readSourceFiles, slug, type EventSink, type ImportProgress } from './importer.js'
import { progressReporter } from './progress.js'
import { resolveSources } from './sources.js'
import { serviceArea, type ServiceAreaSpec } from './service-area.js'

const USAGE = `usage: npm run import -- <file|directory|glob>… [options]
  --map FILE               JSON column mapping (docs/importing.md)
  --column field=Header    map one target field to a source column (repeatable)
  --default field=value    default for a field without a column (repeatable)
  --rows order|return      what rows are when no kind column says (default order)
  --negative-is-return     a sale with negative quantity is a return
  --return-flag Col=V1|V2  rows whose Col is V1 or V2 (e.g. a credit-note flag) are returns
  --return-pattern Col=RE  rows whose Col matches the regex RE (e.g. InvoiceNo=^C) are returns
  --skip Col=RE            rows whose Col matches RE are skipped and counted (repeatable)
  --exclude-skus RE        SKUs matching RE (postage, fees) are counted, not stored
  --catalog FILE           catalog CSV (sku,name,category[,price]; or the mapping's column names)
  --decide                 let the navigator decide each imported return (a backtest)
  --close-history on|off   store returns older than the return window as closed (default on)
  --return-window-days N   the window for --close-history (default: the policy in force)
  --format csv|ndjson      default from each file's extension
  --separator CHAR         CSV separator (default ,)
  --url URL --key KEY      send to a running server (default http://localhost:8080)
  --data-dir DIR           write into a stopped server's data directory instead
  --batch N                events per batch (default 1000 over --url, 5000 with --data-dir)
  --rejects FILE           write every rejected row (file, line, errors) as NDJSON`

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      map: { type: 'string' }, column: { type: 'string', multiple: true, default: [] }, default: { type: 'string', multiple: true, default: [] },
      rows: { type: 'string' }, 'negative-is-return': { type: 'boolean', default: false }, 'return-flag': { type: 'string' },
      'return-pattern': { type: 'string' }, skip: { type: 'string', multiple: true, default: [] }, 'exclude-skus': { type: 'string' },
      catalog: { type: 'string' }, decide: { type: 'boolean', default: false }, 'close-history': { type: 'string', default: 'on' },
      'return-window-days': { type: 'string' },
      format: { type: 'string' }, separator: { type: 'string', default: ',' }, url: { type: 'string', default: 'http://localhost:8080' },
      key: { type: 'string' }, 'data-dir': { type: 'string' }, batch: { type: 'string' }, rejects: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help || positionals.length === 0) { console.error(USAGE); process.exit(values.help ? 0 : 2) }
  if (values.format !== undefined && values.format !== 'csv' && values.format !== 'ndjson') throw new UsageError('--format must be csv or ndjson')
  const sources = resolveSources(positionals, values.format as 'csv' | 'ndjson' | undefined)
  if (!sources.length) throw new UsageError(`no files match ${positionals.join(' ')}`)
  let mapping = values.map
    ? Mapping.parse(JSON.parse(readFileSync(values.map, 'utf8')))
    : mappingFromFlags({
      columns: values.column, defaults: values.default, rowsAre: values.rows, negativeIsReturn: values['negative-is-return'],
      returnFlag: values['return-flag'], returnPattern: values['return-pattern'], skip: values.skip, excludeSkus: values['exclude-skus'],
    })
  const batchSize = Number(values.batch ?? (values['data-dir'] ? DEFAULT_BATCH.inProcess : DEFAULT_BATCH.http))
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new UsageError('--batch must be 1..10000')
  if (values['close-history'] !== 'on' && values['close-history'] !== 'off') throw new UsageError('--close-history must be on or off')

  let sink: EventSink
  let close = async () => {}
  let network: { area: ServiceAreaSpec; central: { lat: number; lon: number }; returnWindowDays: number }
  if (values['data-dir']) {
    // In-process: this process owns the data dir, so the server must not be running on it.
    const { createRuntime } = await import('../runtime.js')
    const config = loadConfig({ ...process.env, DATA_DIR: values['data-dir'], LOG_LEVEL: 'warn', DEMO: '0', PIPELINES: '0' })
    // The same navigator the server runs; it decides only with --decide (ingestorSink below).
    // Its log goes to stderr: stdout carries the summary a script may parse.
    const toStderr = { info: (m: string) => console.error(m), warn: (m: string) => console.error(m) }
    // Nobody can connect to this process: it publishes no live updates.
    const runtime = await createRuntime(config, { navigatorOptions: { log: toStderr }, live: false })
    const service = runtime.navigator!
    const file = service.network.file
    network = {
      area: { roadFactor: file.rules.roadFactor, nodes: file.nodes, modes: file.inboundModes },
      central: file.nodes.find((n) => n.central) ?? file.nodes[0],
      returnWindowDays: service.weights.inForce.policy.returnWindowDays,
    }
    sink = ingestorSink(runtime.ctx.ingestor, { decide: values.decide })
    close = () => runtime.close()
  } else {
    if (!values.key) throw new UsageError('--key is required to send to a server (an ingest or admin key)')
    const res = await fetch(new URL('/api/v1/network', values.url), { headers: { authorization: `Bearer ${values.key}` } })
    if (!res.ok) throw new Error(`GET /api/v1/network answered ${res.status} (the key needs the viewer role at least: an admin key works)`)
    const net = await res.json() as { nodes: { kind: string; lat: number; lon: number; id: string }[]; serviceArea: { roadFactor: number; modes: ServiceAreaSpec['modes'] }; policy: { returnWindowDays: number } }
    network = {
      area: { roadFactor: net.serviceArea.roadFactor, nodes: net.nodes, modes: net.serviceArea.modes },
      central: net.nodes[0], returnWindowDays: net.policy.returnWindowDays,
    }
    sink = httpSink(values.url, values.key, { decide: values.decide })
  }

  // Documented defaults: a row without a location is placed at the central node, so it is
  // served; one without a customer id is the customer "guest" (mapping.ts).
  if (mapping.columns.lat === undefined && mapping.defaults.lat === undefined) mapping = { ...mapping, defaults: { ...mapping.defaults, lat: network.central.lat } }
  if (mapping.columns.lon === undefined && mapping.defaults.lon === undefined) mapping = { ...mapping, defaults: { ...mapping.defaults, lon: network.central.lon } }
  const windowDays = values['return-window-days'] !== undefined ? Number(values['return-window-days']) : network.returnWindowDays ?? DEFAULT_POLICY.returnWindowDays
  if (!Number.isFinite(windowDays) || windowDays < 0) throw new UsageError('--return-window-days must be a number of days')
  const catalog = values.catalog ? readCatalog(values.catalog, mapping, values.separator) : undefined

  const reporter = progressReporter(process.stderr, sources.reduce((n, s) => n + s.bytes, 0))
  try {
    const summary = await importRecords(readSourceFiles(sources, values.separator), new RowMapper(mapping), sink, {
      batchSize, onProgress: (p: ImportProgress) => reporter.update(p), maxRejections: values.rejects ? Number.MAX_SAFE_INTEGER : 1000,
      closeBefore: values['close-history'] === 'on' ? new Date(Date.now() - windowDays * 86_400_000) : undefined,
      catalog, feedCatalog: mapping.columns.name !== undefined || mapping.columns.category !== undefined,
      catalogDefaults: mapping.catalogDefaults, serviceArea: serviceArea(network.area),
      // Over HTTP, requests in flight together may be decided out of order: one at a time with --decide.
      concurrency: values['data-dir'] ? DEFAULT_CONCURRENCY.inProcess : values.decide ? 1 : DEFAULT_CONCURRENCY.http,
    })
    reporter.done(summary)
    const where = (r: { file?: string; line: number }) => `${sources.length > 1 && r.file ? `${r.file}:` : 'line '}${r.line}`
    for (const r of summary.rejections.slice(0, 20)) {
      console.error(`${where(r)}: ${r.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}`)
    }
    if (summary.rejected > 20) console.error(`… and ${summary.rejected - 20} more rejected rows${values.rejects ? ` (all in ${values.rejects})` : ''}`)
    if (values.rejects) writeFileSync(values.rejects, summary.rejections.map((r) => JSON.stringify(r)).join('\n') + (summary.rejections.length ? '\n' : ''))
    const outside = summary.outsideServiceArea
    if (outside && outside.returnRows > 0) {
      console.error(`warning: ${outside.returnRows.toLocaleString('en')} of ${summary.returnRows.toLocaleString('en')} return rows (${outside.customers.toLocaleString('en')} customers) are outside the network's service area; ` +
        `the navigator would tell them to keep the item. Map the customers' lat/lon, or write your own network (npm run network -- init).`)
    }
    const { rejections: _omit, ...totals } = summary
    console.log(JSON.stringify(totals))
  } finally {
    await close()
  }
}

/** A catalog CSV: the mapping's sku/name/category/unitPrice headers, or sku,name,category,price. */
function readCatalog(path: string, mapping: Mapping, separator: string): CatalogItem[] {
  const col = (field: 'sku' | 'name' | 'category' | 'unitPrice', fallback: string) => (r: Record<string, string>) =>
    (r[mapping.columns[field] ?? fallback] ?? r[fallback] ?? '').trim()
  const sku = col('sku', 'sku'), name = col('name', 'name'), category = col('category', 'category'), price = col('unitPrice', 'price')
  const d = mapping.catalogDefaults
  return parseCsv(readFileSync(path, 'utf8'), separator).filter((r) => sku(r.fields)).map((r) => {
    const c = slug(category(r.fields)) ?? d.category
    const p = Number(price(r.fields))
    return {
      sku: sku(r.fields).slice(0, 64), name: (name(r.fields) || sku(r.fields)).slice(0, 200), category: c, productType: c,
      price: Number.isFinite(p) && p >= 0 ? p : 0, weightKg: d.weightKg, repairable: d.repairable, lifecycle: 'current' as const,
    }
  })
}

class UsageError extends Error {}

main().catch((error) => {
  console.error(`import failed: ${error instanceof UsageError ? `${error.message}\n${USAGE}` : (error as Error).message}`)
  process.exit(error instanceof UsageError ? 2 : 1)
})
