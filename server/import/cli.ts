// npm run import -- <file> [--map mapping.json] [--column field=Header …] [--url U --key K | --data-dir D]
// Imports orders and returns from another system's CSV or NDJSON export; see docs/importing.md.
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { loadConfig } from '../config.js'
import { Mapping, mappingFromFlags, RowMapper } from './mapping.js'
import { httpSink, importRecords, ingestorSink, readSourceFile, type EventSink, type ImportProgress } from './importer.js'

const USAGE = `usage: npm run import -- <file.csv|file.ndjson> [options]
  --map FILE               JSON column mapping (docs/importing.md)
  --column field=Header    map one target field to a source column (repeatable)
  --default field=value    default for a field without a column (repeatable)
  --rows order|return      what rows are when no kind column says (default order)
  --negative-is-return     a sale with negative quantity is a return
  --return-flag Col=V1|V2  rows whose Col is V1 or V2 (e.g. a credit-note flag) are returns
  --format csv|ndjson      default from the file extension
  --separator CHAR         CSV separator (default ,)
  --url URL --key KEY      send to a running server (default http://localhost:8080)
  --data-dir DIR           write into a stopped server's data directory instead
  --batch N                events per request (default 1000)
  --rejects FILE           write every rejected row (line, errors) as NDJSON`

async function main() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      map: { type: 'string' }, column: { type: 'string', multiple: true, default: [] }, default: { type: 'string', multiple: true, default: [] },
      rows: { type: 'string' }, 'negative-is-return': { type: 'boolean', default: false }, 'return-flag': { type: 'string' },
      format: { type: 'string' }, separator: { type: 'string', default: ',' }, url: { type: 'string', default: 'http://localhost:8080' },
      key: { type: 'string' }, 'data-dir': { type: 'string' }, batch: { type: 'string', default: '1000' }, rejects: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  })
  const file = positionals[0]
  if (values.help || !file) { console.error(USAGE); process.exit(values.help ? 0 : 2) }
  const format = (values.format ?? (/\.(nd)?jsonl?$/i.test(file) ? 'ndjson' : 'csv')) as 'csv' | 'ndjson'
  if (format !== 'csv' && format !== 'ndjson') throw new UsageError('--format must be csv or ndjson')
  const mapping = values.map
    ? Mapping.parse(JSON.parse(readFileSync(values.map, 'utf8')))
    : mappingFromFlags({ columns: values.column, defaults: values.default, rowsAre: values.rows, negativeIsReturn: values['negative-is-return'], returnFlag: values['return-flag'] })
  const batchSize = Number(values.batch)
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new UsageError('--batch must be 1..10000')

  let sink: EventSink
  let close = async () => {}
  if (values['data-dir']) {
    // In-process: this process owns the data dir, so the server must not be running on it.
    const { createRuntime } = await import('../runtime.js')
    const runtime = await createRuntime(loadConfig({ DATA_DIR: values['data-dir'], LOG_LEVEL: 'warn', DEMO: '0', PIPELINES: '0' }))
    sink = ingestorSink(runtime.ctx.ingestor)
    close = () => runtime.close()
  } else {
    if (!values.key) throw new UsageError('--key is required to send to a server (an ingest or admin key)')
    sink = httpSink(values.url, values.key)
  }

  const show = (p: ImportProgress) => process.stderr.write(
    `\r${p.rows.toLocaleString('en')} rows · ${p.rowsPerSecond.toLocaleString('en')} rows/s · accepted ${p.accepted.toLocaleString('en')} · duplicates ${p.duplicates.toLocaleString('en')} · rejected ${p.rejected.toLocaleString('en')}   `)
  try {
    const summary = await importRecords(readSourceFile(file, format, values.separator), new RowMapper(mapping), sink, {
      batchSize, onProgress: show, maxRejections: values.rejects ? Number.MAX_SAFE_INTEGER : 1000,
    })
    process.stderr.write('\n')
    for (const r of summary.rejections.slice(0, 20)) {
      console.error(`line ${r.line}: ${r.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}`)
    }
    if (summary.rejected > 20) console.error(`… and ${summary.rejected - 20} more rejected rows${values.rejects ? ` (all in ${values.rejects})` : ''}`)
    if (values.rejects) writeFileSync(values.rejects, summary.rejections.map((r) => JSON.stringify(r)).join('\n') + (summary.rejections.length ? '\n' : ''))
    const { rejections: _omit, ...totals } = summary
    console.log(JSON.stringify(totals))
  } finally {
    await close()
  }
}

class UsageError extends Error {}

main().catch((error) => {
  console.error(`import failed: ${error instanceof UsageError ? `${error.message}\n${USAGE}` : (error as Error).message}`)
  process.exit(error instanceof UsageError ? 2 : 1)
})
