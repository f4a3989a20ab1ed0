// npm run bench: runs every benchmark, prints figures as JSON and writes them to
// bench-results/latest.json. Figures are ratios against baselines measured in the
// same command and medians over repetitions; nothing here asserts a timing.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs'

// Names pick benchmarks; `--key=value` arguments are left to the benchmarks themselves.
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const benches: [string, string, string][] = [
  ['ingest', './ingest.bench.ts', 'runIngestBench'],
  ['navigator', './navigator.bench.ts', 'runNavigatorBench'],
  ['analytics', './analytics.bench.ts', 'runAnalyticsBench'],
  ['live', './live.bench.ts', 'runLiveBench'],
  ['dashboard', './dashboard.bench.ts', 'runDashboardBench'],
  ['restart', './restart.bench.ts', 'runRestartBench'],
  ['overload', './overload.bench.ts', 'runOverloadBench'],
  ['import', './import.bench.ts', 'runImportBench'],
  ['import-decide', './import-decide.bench.ts', 'runImportDecideBench'],
  ['webhooks', './webhooks.bench.ts', 'runWebhooksBench'],
  ['capacity', './capacity.bench.ts', 'runCapacityBench'],
]

const results: Record<string, unknown> = { startedAt: new Date().toISOString() }
for (const [name, file, fn] of benches) {
  if (only.length && !only.includes(name)) continue
  if (!existsSync(new URL(file, import.meta.url))) { results[name] = { skipped: 'not present' }; continue }
  console.error(`== bench ${name}`)
  try {
    const mod = await import(file)
    results[name] = await mod[fn]()
  } catch (error) {
    results[name] = { error: (error as Error).stack ?? String(error) }
  }
  console.error(JSON.stringify(results[name], null, 2))
}
mkdirSync('bench-results', { recursive: true })
writeFileSync('bench-results/latest.json', JSON.stringify(results, null, 2))
console.log(JSON.stringify(results, null, 2))
