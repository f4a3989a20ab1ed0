// npm run simulate -- --rate N --duration S --url U --key K [--seed X] [--backfill-days D]
// Drives any revnav server over HTTP with the simulated shop; a progress line on stderr,
// a summary on stdout, exit 0 when the run ended on its duration.
import { parseArgs } from 'node:util'
import { runSimulation, type SimulationOptions, type SimulationProgress } from './run-simulation.js'

const USAGE = `usage: npm run simulate -- --url http://localhost:8080 --key <ingest key> [options]
  --rate N                  return requests per minute in the live phase, mean over the day (default 30)
  --flat                    keep the rate flat instead of following the hour of day (evening peak)
  --duration S              seconds the whole run may take (default 60)
  --seed X                  seed of the simulated shop (default: from the start time)
  --backfill-days D         send D days of history first (default 0)
  --backfill-orders-per-day orders per simulated day of history (default 1500)
  --speedup F               lifecycle delay compression when live (default 360)
  --batch N                 events per request (default 1000)
  --network FILE            local network file (default: the demo network)
  --id-prefix P             event id prefix (default sim)
  --no-setup                do not send the catalog and stock snapshots first`

export function parseCli(argv: string[]): SimulationOptions | { help: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' }, key: { type: 'string' }, rate: { type: 'string' }, duration: { type: 'string' },
      seed: { type: 'string' }, 'backfill-days': { type: 'string' }, 'backfill-orders-per-day': { type: 'string' },
      speedup: { type: 'string' }, batch: { type: 'string' }, network: { type: 'string' }, 'id-prefix': { type: 'string' },
      'no-setup': { type: 'boolean' }, flat: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  })
  if (values.help) return { help: USAGE }
  const num = (name: string, raw: string | undefined, dflt: number | undefined, min: number, max: number) => {
    if (raw === undefined) return dflt
    const n = Number(raw)
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number in [${min}, ${max}], got ${raw}`)
    return n
  }
  if (!values.url) throw new Error('--url is required')
  if (!values.key) throw new Error('--key is required')
  if (values['id-prefix'] === 'demo') throw new Error("--id-prefix demo is reserved for the built-in demo stream")
  return {
    url: values.url,
    key: values.key,
    ratePerMin: num('rate', values.rate, 30, 0.01, 1_000_000)!,
    durationS: num('duration', values.duration, 60, 0, 7 * 86_400)!,
    seed: num('seed', values.seed, undefined, 0, 2 ** 32 - 1),
    backfillDays: num('backfill-days', values['backfill-days'], 0, 0, 365),
    backfillOrdersPerDay: num('backfill-orders-per-day', values['backfill-orders-per-day'], 1_500, 1, 10_000_000),
    speedup: num('speedup', values.speedup, 360, 1, 100_000),
    batchSize: num('batch', values.batch, 1_000, 1, 10_000),
    networkFile: values.network,
    idPrefix: values['id-prefix'] ?? 'sim',
    emitSetup: !values['no-setup'],
    flat: values.flat ?? false,
  }
}

export function progressLine(p: SimulationProgress): string {
  const n = (x: number) => x.toLocaleString('en-US')
  return `sim ${p.phase.padEnd(8)} ${Math.round(p.elapsedMs / 1000)}s  sent ${n(p.sent)}  accepted ${n(p.accepted)}  duplicate ${n(p.duplicates)}`
    + `  rejected ${n(p.rejected)}  ${n(p.eventsPerSecond)} ev/s  decisions ${n(p.decisions)}  open ${n(p.openReturns)}`
    + `${p.retries ? `  retries ${n(p.retries)}` : ''}${p.simTime ? `  at ${p.simTime.slice(0, 16)}` : ''}`
}

async function main(): Promise<number> {
  let opts
  try {
    opts = parseCli(process.argv.slice(2))
  } catch (error) {
    console.error(`simulate: ${(error as Error).message}\n${USAGE}`)
    return 2
  }
  if ('help' in opts) {
    console.log(opts.help)
    return 0
  }
  const tty = process.stderr.isTTY
  let lastPrinted = 0
  const summary = await runSimulation({
    ...opts,
    log: { warn: (m) => process.stderr.write(`${tty ? '\n' : ''}${m}\n`) },
    onProgress: (p) => {
      // On a terminal one line rewritten in place; in a log one line every 5 s.
      if (tty) process.stderr.write(`\r${progressLine(p)}\x1b[K`)
      else if (p.elapsedMs - lastPrinted >= 5_000) { lastPrinted = p.elapsedMs; process.stderr.write(`${progressLine(p)}\n`) }
    },
  })
  if (tty) process.stderr.write('\n')
  for (const note of summary.network.notes) process.stderr.write(`note: ${note}\n`)
  console.log(JSON.stringify({
    run: summary.runId, seconds: Math.round(summary.elapsedMs / 1000), sent: summary.sent, accepted: summary.accepted,
    duplicates: summary.duplicates, rejected: summary.rejected, decisions: summary.decisions, eventsPerSecond: summary.eventsPerSecond,
    orders: summary.world.orders, returnRequests: summary.world.returnRequests, lifecycleEvents: summary.world.lifecycleEvents,
    openReturns: summary.openReturns, retries: summary.retries, network: summary.network.source,
    ...(summary.error ? { error: summary.error } : {}),
  }))
  return summary.error ? 1 : 0
}

// Run only as the entry point, so tests can import parseCli.
if (import.meta.url === `file://${process.argv[1]}`) {
  main().then((code) => process.exit(code), (error) => {
    console.error('simulate failed:', error)
    process.exit(1)
  })
}
