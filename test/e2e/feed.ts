// Realistic history for a running server, over HTTP: the simulator's world (orders,
// returns, lifecycles, a planted defect spike) pumped through POST /api/v1/events, then
// every pipeline run once so the analytics views have something to show.
// Used by the e2e test and by hand:
//   npx tsx test/e2e/feed.ts <baseUrl> <adminKey> [days=14] [ordersPerDay=300]
import { readNetworkFile, DEMO_NETWORK_PATH } from '../../server/network/network-file.js'
import { Backpressure, SimDriver, type Sender, type SendOutcome } from '../../server/sim/driver.js'
import { SimWorld } from '../../server/sim/world.js'

const DAY = 86_400_000

export function httpSender(baseUrl: string, key: string): Sender {
  return async (events) => {
    const res = await fetch(`${baseUrl}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify(events),
    })
    if (res.status === 503) throw new Backpressure(Number(res.headers.get('retry-after') ?? '1') * 1000)
    if (!res.ok) throw new Error(`ingest answered ${res.status}: ${(await res.text()).slice(0, 300)}`)
    return (await res.json()) as SendOutcome
  }
}

export interface FeedResult {
  accepted: number
  decisions: number
  rejected: number
  /** The SKU with the planted defect spike (it has returns). */
  defectSku?: string
  jobs: { job: string; status: string }[]
}

export async function feedHistory(baseUrl: string, adminKey: string, opts: { days?: number; ordersPerDay?: number; seed?: number; now?: number } = {}): Promise<FeedResult> {
  const network = await readNetworkFile(DEMO_NETWORK_PATH)
  const now = opts.now ?? Date.now()
  const days = opts.days ?? 14
  const world = new SimWorld(network, {
    seed: opts.seed ?? 7,
    startMs: now - days * DAY,
    ordersPerDay: opts.ordersPerDay ?? 300,
    idPrefix: 'e2e',
    defect: { fromMs: now - Math.min(7, days / 2) * DAY },
  })
  const warnings: string[] = []
  const driver = new SimDriver(world, httpSender(baseUrl, adminKey), {
    batchSize: 2_000, maxSpanMs: 6 * 3_600_000, log: { warn: (m) => warnings.push(m) },
  })
  await driver.pump(now)
  if (driver.stats.rejected) console.warn(`feed: ${driver.stats.rejected} events rejected\n${warnings.join('\n')}`)
  const jobs = await runPipelines(baseUrl, adminKey)
  return { accepted: driver.stats.accepted, decisions: driver.stats.decisions, rejected: driver.stats.rejected, defectSku: world.defectSku, jobs }
}

/** Runs every scheduled job now (POST /api/v1/pipelines/<job>/run answers when it finished). */
export async function runPipelines(baseUrl: string, adminKey: string): Promise<{ job: string; status: string }[]> {
  const headers = { authorization: `Bearer ${adminKey}` }
  const list = await (await fetch(`${baseUrl}/api/v1/pipelines`, { headers })).json() as { jobs: ({ name?: string; job?: string })[] }
  const out: { job: string; status: string }[] = []
  for (const j of list.jobs) {
    const job = j.name ?? j.job
    if (!job) continue
    const res = await fetch(`${baseUrl}/api/v1/pipelines/${encodeURIComponent(job)}/run`, { method: 'POST', headers })
    const body = await res.json().catch(() => ({})) as { status?: string; error?: string }
    out.push({ job, status: body.status ?? `${res.status}` })
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [url = 'http://localhost:18090', key = 'e2e-admin-key-0001', days = '14', perDay = '300'] = process.argv.slice(2)
  const t0 = Date.now()
  const r = await feedHistory(url, key, { days: Number(days), ordersPerDay: Number(perDay) })
  console.log(JSON.stringify({ ...r, ms: Date.now() - t0 }, null, 2))
}
