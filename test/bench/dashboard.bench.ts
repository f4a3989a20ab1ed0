// Issue 5 benchmark: the dashboard's initial JS (gzip) and the time from navigation to
// the first KPI tile showing a number, in headless Chromium, over a store of 1 million
// returns (10 million order lines) generated in-store.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { chromium } from 'playwright-core'
import { openStore } from '../../server/store/client.js'
import { migrate } from '../../server/store/migrate.js'
import { generate } from './analytics.bench.js'
import { BENCH_ADMIN_KEY, BENCH_VIEWER_KEY, startServerProcess } from '../helpers/server-process.js'
import { median, round } from './stats.js'

const DIST = new URL('../../dist/client/', import.meta.url).pathname

/** gzip -9 size of every script index.html loads at start (entry + modulepreloads). */
export function initialJsGzipKb(): { files: Record<string, number>; totalKb: number } {
  const html = readFileSync(join(DIST, 'index.html'), 'utf8')
  const srcs = [...html.matchAll(/(?:src|href)="\/?([^"]+\.js)"/g)].map((m) => m[1])
  const files: Record<string, number> = {}
  for (const src of new Set(srcs)) files[src] = round(gzipSync(readFileSync(join(DIST, src)), { level: 9 }).length / 1024, 1)
  return { files, totalKb: round(Object.values(files).reduce((a, b) => a + b, 0), 1) }
}

function chromiumPath(): string | undefined {
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(p)) return p
  return undefined
}

export async function runDashboardBench(opts: { returns?: number; loads?: number } = {}) {
  const returns = opts.returns ?? 1_000_000
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' })
  const bundle = initialJsGzipKb()
  const executablePath = chromiumPath()
  if (!executablePath) return { bundle, firstKpiRender: 'skipped: no Chromium found' }

  const dataDir = mkdtempSync(join(tmpdir(), 'revnav-bench-dash-'))
  try {
    const store = await openStore({ DATA_DIR: dataDir, CLICKHOUSE_DATABASE: 'revnav', CLICKHOUSE_USER: 'default', CLICKHOUSE_PASSWORD: '' })
    await migrate(store.client)
    const generatedStarted = performance.now()
    await generate(store.client, Date.now(), 0, returns)
    const generateSeconds = (performance.now() - generatedStarted) / 1000
    await store.close()

    const server = await startServerProcess(dataDir)
    const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'] })
    try {
      // Fill the job outputs the dashboard reads, as the scheduler would.
      const jobs = (await (await fetch(`${server.url}/api/v1/pipelines`, { headers: { authorization: `Bearer ${BENCH_VIEWER_KEY}` } })).json()) as { jobs?: { name: string }[]; items?: { name?: string; job?: string }[] }
      const names = (jobs.jobs ?? jobs.items ?? []).map((j: any) => j.name ?? j.job).filter(Boolean)
      for (const name of names) {
        await fetch(`${server.url}/api/v1/pipelines/${name}/run`, { method: 'POST', headers: { authorization: `Bearer ${BENCH_ADMIN_KEY}` } })
      }
      const times: number[] = []
      for (let i = 0; i < (opts.loads ?? 5); i++) {
        // A fresh context each time: no cached JS, no stored key — a first visit.
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
        const page = await context.newPage()
        const started = performance.now()
        await page.goto(`${server.url}/?key=${BENCH_VIEWER_KEY}`)
        await page.waitForFunction(() => /\d/.test(document.querySelector('[data-testid="kpi-returnsToday"]')?.textContent ?? ''), undefined, { timeout: 60_000 })
        times.push(performance.now() - started)
        await context.close()
      }
      return {
        bundle,
        store: { returns, orderLines: returns * 10, generateSeconds: round(generateSeconds, 1) },
        firstKpiRenderMs: { median: round(median(times), 0), all: times.map((t) => round(t, 0)) },
        pipelinesRun: names,
      }
    } finally {
      await browser.close()
      await server.stop()
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runDashboardBench().then((r) => console.log(JSON.stringify(r, null, 2)))
}
