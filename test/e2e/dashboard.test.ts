// The dashboard end to end: the built client served by a real runtime (embedded
// ClickHouse, production wiring: navigator, analytics, live hub), driven by headless
// Chromium. Screenshots land in test/e2e/screenshots/ (git-ignored) — look at them.
//
// Needs Debian's `chromium` (.ci/run installs it); without one the suite is skipped
// with a loud warning rather than failing.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureClientBuilt, findChromium, SHOTS } from '../helpers/browser.js'
import { get, post, startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'
import { feedHistory } from './feed.js'


const CHROMIUM = findChromium()
if (!CHROMIUM) {
  console.warn('\n\n  ************************************************************\n'
    + '  E2E SKIPPED: no Chromium found — apt-get install chromium\n'
    + '  (or set CHROMIUM_PATH). The dashboard tests did NOT run.\n'
    + '  ************************************************************\n\n')
}

const admin = TEST_KEYS.admin
const WAIT = 30_000

let unitPrice = 299
function returnRequest(rmaId: string, sku: string, extra: Record<string, unknown> = {}) {
  return {
    eventId: `ev-${rmaId}`, type: 'return.requested', occurredAt: new Date().toISOString(), rmaId, orderId: `O-${rmaId}`,
    customer: { id: `C-${rmaId}`, lat: 31.23, lon: 121.47 }, channel: 'app',
    lines: [{ sku, qty: 1, unitPrice, reason: 'defective', condition: 'defective', wants: 'refund' }],
    ...extra,
  }
}

async function ingest(url: string, event: unknown): Promise<{ decisionId: string; trackingToken: string; lineIndex: number }[]> {
  const res = await post(`${url}/api/v1/events`, event, admin)
  expect(res.status).toBe(200)
  expect(res.body.accepted, JSON.stringify(res.body)).toBe(1)
  return res.body.results[0].decisions
}

describe.skipIf(!CHROMIUM)('dashboard in headless Chromium against a real server', () => {
  let server: TestServer
  let browser: Browser
  let context: BrowserContext
  let page: Page
  let sku: string
  const pageErrors: string[] = []

  // From the top: a full-page shot of a scrolled page draws the sticky top bar mid-page.
  // The pause only lets chart animations finish so the picture is readable; no assertion depends on it.
  const shot = async (p: Page, name: string) => {
    await p.evaluate(() => window.scrollTo(0, 0))
    await p.waitForTimeout(1200)
    await p.screenshot({ path: join(SHOTS, `e2e-${name}.png`), fullPage: true })
  }

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true })
    await ensureClientBuilt()
    // The static files are registered when the server starts, so the build comes first.
    server = await startTestServer({ runtime: { navigator: true } })
    const fed = await feedHistory(server.url, admin, { days: 6, ordersPerDay: 250, seed: 11 })
    expect(fed.rejected).toBe(0)
    expect(fed.decisions).toBeGreaterThan(20)
    expect(fed.jobs.every((j) => j.status === 'ok'), JSON.stringify(fed.jobs)).toBe(true)
    const skus = await get(`${server.url}/api/v1/skus?sort=unitsReturned&minVolume=0&limit=1`, admin)
    sku = skus.body.items[0].sku
    // Requests at the SKU's real price, as a shop would send them.
    unitPrice = (await get(`${server.url}/api/v1/skus/${sku}`, admin)).body.recentReturns?.[0]?.unitPrice ?? unitPrice
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    })
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' })
    page = await context.newPage()
    page.on('pageerror', (e) => pageErrors.push(e.message))
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('overview: opens with ?key=, drops the key from the address, and shows live decisions as they are ingested', async () => {
    await page.goto(`${server.url}/?key=${admin}`)
    await page.getByTestId('kpis').waitFor({ timeout: WAIT })
    expect(page.url()).not.toContain('key=')
    // KPI tiles are read from the real /api/v1/kpis (the store has two days of history).
    await expect.poll(() => page.getByTestId('kpi-openReturns').innerText(), { timeout: WAIT }).toMatch(/\d/)
    // The scheduled part of the tiles says how fresh it is (the jobs ran at start-up).
    await expect.poll(() => page.getByTestId('kpi-freshness').innerText(), { timeout: WAIT }).toMatch(/as of \d{1,2}:\d{2}/)
    await page.locator('.live-connected').first().waitFor({ timeout: WAIT })

    const rmaId = `E2E-LIVE-${Date.now().toString(36)}`
    await ingest(server.url, returnRequest(rmaId, sku))
    const item = page.locator(`[data-testid="decision-item"][data-rma="${rmaId}"]`)
    await item.waitFor({ timeout: WAIT })
    expect(await item.innerText()).toContain(sku)
    await page.locator('.echarts, canvas').first().waitFor({ timeout: WAIT })
    await shot(page, 'overview-live')
  })

  it('SKU page: shows the SKU with its figures, trend and recent returns', async () => {
    await page.goto(`${server.url}/skus/${sku}`)
    await page.getByTestId('sku-kpis').waitFor({ timeout: WAIT })
    await expect(page.locator('h1').innerText()).resolves.toContain(sku)
    await page.getByTestId('sku-recent').locator('tbody tr').first().waitFor({ timeout: WAIT })
    const detail = await get(`${server.url}/api/v1/skus/${sku}`, admin)
    const kpis = await page.getByTestId('sku-kpis').innerText()
    expect(kpis.replace(/,/g, '')).toContain(String(detail.body.unitsReturned))
    await page.locator('canvas').first().waitFor({ timeout: WAIT })
    await shot(page, 'sku')
  })

  it('date range: a period changes the overview and stays in the URL', async () => {
    await page.goto(`${server.url}/`)
    const cost = page.getByTestId('kpi-costPerReturn')
    await expect.poll(() => cost.innerText(), { timeout: WAIT }).toMatch(/¥\d/)
    const flows = page.getByTestId('flows-card')
    await flows.locator('canvas').first().waitFor({ timeout: WAIT })
    await shot(page, 'overview-30d')

    // A month long before the history: nothing decided in it, so no cost and no flows.
    const custom = page.waitForResponse((r) => r.url().includes('/api/v1/kpis?from=2020-01-01&to=2020-01-31'))
    await page.getByTestId('range-custom').click()
    await page.getByTestId('range-from').fill('2020-01-01')
    await page.getByTestId('range-to').fill('2020-01-31')
    await page.getByTestId('range-apply').click()
    expect((await custom).status()).toBe(200)
    await expect.poll(() => new URL(page.url()).search, { timeout: WAIT }).toBe('?from=2020-01-01&to=2020-01-31')
    await expect.poll(() => cost.innerText(), { timeout: WAIT }).not.toMatch(/¥/)
    await expect.poll(() => flows.locator('canvas').count(), { timeout: WAIT }).toBe(0)

    // The URL alone brings the period back.
    const again = page.waitForResponse((r) => r.url().includes('/api/v1/flows?from=2020-01-01&to=2020-01-31'))
    await page.reload()
    await again
    await expect(page.getByTestId('range-from').inputValue()).resolves.toBe('2020-01-01')
    expect(await page.getByTestId('range-span').innerText()).toContain('2020')

    // A preset: its window goes to the API and to the URL, and the data is back.
    const week = page.waitForResponse((r) => r.url().includes('/api/v1/kpis?window=7d'))
    await page.getByTestId('range-7d').click()
    expect((await week).status()).toBe(200)
    expect(new URL(page.url()).searchParams.get('range')).toBe('7d')
    expect(new URL(page.url()).searchParams.get('from')).toBeNull()
    await expect.poll(() => cost.innerText(), { timeout: WAIT }).toMatch(/¥\d/)
    await flows.locator('canvas').first().waitFor({ timeout: WAIT })
    await shot(page, 'overview-7d')
  })

  it('backtest page: navigator against the baseline, by category and by month', async () => {
    await page.getByTestId('nav-backtest').click()
    const totals = page.getByTestId('backtest-totals')
    await totals.waitFor({ timeout: WAIT })
    const report = (await get(`${server.url}/api/v1/backtest?window=all`, admin)).body
    expect(report.totals.lines).toBeGreaterThan(0)
    expect((await totals.innerText()).replace(/,/g, '')).toContain(String(report.totals.lines))
    await expect(page.getByTestId('backtest-categories').locator('tbody tr').count()).resolves.toBe(report.byCategory.length)
    await expect(page.getByTestId('backtest-months').locator('tbody tr').count()).resolves.toBe(report.byMonth.length)
    await expect(page.getByTestId('backtest-compare').innerText()).resolves.toMatch(/Net cost[\s\S]*¥[\d,]+/)
    await page.locator('canvas').first().waitFor({ timeout: WAIT })
    await shot(page, 'backtest')
  })

  it('routing: a weight change is previewed, applied, and new decisions carry the new version', async () => {
    const before = (await get(`${server.url}/api/v1/weights`, admin)).body
    await page.goto(`${server.url}/routing`)
    const wait = page.getByTestId('weight-wait')
    await wait.waitFor({ timeout: WAIT })
    await wait.fill(String(before.weights.wait === 0.2 ? 0.3 : 0.2))
    await wait.dispatchEvent('change')
    await page.getByTestId('weights-preview').click()
    const result = page.getByTestId('preview-result')
    await result.waitFor({ timeout: 60_000 })
    // The real preview answer: lines re-decided, and before → after figures.
    await expect(page.getByTestId('preview-changed').innerText()).resolves.toMatch(/\d+ of \d+ return lines/)
    await expect(page.getByTestId('preview-totalNetCost').innerText()).resolves.toMatch(/¥[\d,.]+[\s\S]*→[\s\S]*¥[\d,.]+/)
    await page.getByTestId('preview-result').locator('canvas').first().waitFor({ timeout: WAIT })
    await shot(page, 'routing-preview')

    await page.getByTestId('weights-comment').fill('e2e: customers wait less expensively')
    await page.getByTestId('weights-apply').click()
    const applied = page.getByTestId('weights-applied')
    await applied.waitFor({ timeout: WAIT })
    const next = before.version + 1
    expect(await applied.innerText()).toContain(String(next))
    await expect(page.getByTestId('weights-current').innerText()).resolves.toContain(`version ${next}`)
    await page.getByTestId('version-history').getByText(`v${next}`, { exact: true }).waitFor({ timeout: WAIT })
    await shot(page, 'routing-applied')

    // A new return is decided under the new version: the API says so and the return page shows it.
    const rmaId = `E2E-AFTER-${Date.now().toString(36)}`
    await ingest(server.url, returnRequest(rmaId, sku))
    const ret = await get(`${server.url}/api/v1/returns/${rmaId}`, admin)
    expect(ret.body.decisions[0].weightsVersion).toBe(next)
    await page.goto(`${server.url}/returns/${rmaId}`)
    const meta = page.getByTestId('decision-meta').first()
    await meta.waitFor({ timeout: WAIT })
    expect(await meta.getAttribute('data-version')).toBe(String(next))
    expect(await meta.innerText()).toContain(`v${next}`)
    await shot(page, 'return-new-version')

    // …and the live feed labels it with the new version too.
    await page.getByTestId('nav-overview').click()
    const item = page.locator(`[data-testid="decision-item"][data-rma="${rmaId}"]`)
    await item.waitFor({ timeout: WAIT })
    expect(await item.getAttribute('data-version')).toBe(String(next))
  })

  it('tracking page: opens without a key and tells the customer the status in plain words', async () => {
    const rmaId = `E2E-TRACK-${Date.now().toString(36)}`
    const [decision] = await ingest(server.url, returnRequest(rmaId, sku))
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' })
    try {
      const p = await phone.newPage()
      await p.goto(`${server.url}/track/${decision.trackingToken}`)
      const summary = p.getByTestId('track-summary')
      await summary.waitFor({ timeout: WAIT })
      expect(p.url()).toContain('/track/')
      const text = await summary.innerText()
      expect(text).toContain(rmaId)
      expect(text).toContain('We received your return request')
      expect(text).not.toMatch(/net cost|recovery/i)
      await p.getByTestId('track-steps').waitFor({ timeout: WAIT })
      await p.screenshot({ path: join(SHOTS, 'e2e-track.png'), fullPage: true })
      // Customers have no key: nothing was stored, and the operator pages still ask for one.
      expect(await p.evaluate(() => localStorage.getItem('revnav.apiKey'))).toBeNull()
    } finally {
      await phone.close()
    }
  })

  it('tracking page: an offer can be accepted, and the line is re-decided', async () => {
    const rmaId = `E2E-OFFER-${Date.now().toString(36)}`
    // Transit damage 10 days after delivery: no refund right any more, so the refund is honoured and a partial refund offered.
    const [decision] = await ingest(server.url, {
      ...returnRequest(rmaId, 'AP-0001', { deliveredAt: new Date(Date.now() - 10 * 86_400_000).toISOString() }),
      lines: [{ sku: 'AP-0001', qty: 1, unitPrice: 139, reason: 'damaged_in_transit', condition: 'damaged', wants: 'refund' }],
    })
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US' })
    try {
      const p = await phone.newPage()
      await p.goto(`${server.url}/track/${decision.trackingToken}`)
      const offers = p.getByTestId('track-offers')
      await offers.waitFor({ timeout: WAIT })
      expect(await offers.innerText()).toContain('You get what you asked for either way')
      await p.getByTestId('offer-accept-partial_refund').click()
      await offers.waitFor({ state: 'detached', timeout: WAIT })
      const page = await get(`${server.url}/api/v1/returns/${rmaId}`, admin)
      expect(page.body.decisions.some((d: { trigger: string; resolution: string }) => d.trigger === 'offer_accepted' && d.resolution === 'partial_refund')).toBe(true)
    } finally {
      await phone.close()
    }
  })

  it('language switch: zh ↔ en changes the UI text and is remembered', async () => {
    await page.goto(`${server.url}/`)
    const nav = page.getByTestId('nav-overview')
    await nav.waitFor({ timeout: WAIT })
    expect(await nav.innerText()).toBe('Overview')
    await page.getByTestId('lang-zh').click()
    await expect.poll(() => nav.innerText(), { timeout: WAIT }).toBe('总览')
    await expect(page.locator('h1').innerText()).resolves.toBe('总览')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN')
    await page.getByTestId('kpis').waitFor({ timeout: WAIT })
    await expect.poll(() => page.getByTestId('kpi-freshness').innerText(), { timeout: WAIT }).toMatch(/更新于 \d{1,2}:\d{2}/)
    await shot(page, 'overview-zh')
    await page.reload()
    await expect.poll(() => page.getByTestId('nav-overview').innerText(), { timeout: WAIT }).toBe('总览')
    await page.getByTestId('lang-en').click()
    await expect.poll(() => page.getByTestId('nav-overview').innerText(), { timeout: WAIT }).toBe('Overview')
    expect(pageErrors, pageErrors.join('\n')).toEqual([])
  })

  it('ready URL: takes the key from #key= (never sent to the server), drops it and keeps the rest of the address', async () => {
    // A fresh context: no key stored yet.
    const fresh = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' })
    try {
      const p = await fresh.newPage()
      const errors: string[] = []
      p.on('pageerror', (e) => errors.push(e.message))
      const requested: string[] = []
      p.on('request', (r) => requested.push(r.url()))
      await p.goto(`${server.url}/?range=90d#key=${TEST_KEYS.viewer}`)
      await p.getByTestId('nav-overview').waitFor({ timeout: WAIT })
      expect(new URL(p.url()).pathname).toBe('/')
      // The period of a shared link survives the key's removal.
      expect(new URL(p.url()).search).toBe('?range=90d')
      await expect(p.getByTestId('range-90d').getAttribute('aria-pressed')).resolves.toBe('true')
      expect(p.url()).not.toContain('key=')
      expect(await p.evaluate(() => localStorage.getItem('revnav.apiKey'))).toBe(TEST_KEYS.viewer)
      expect(requested.filter((u) => u.includes(TEST_KEYS.viewer))).toEqual([])
      expect(errors, errors.join('\n')).toEqual([])
    } finally {
      await fresh.close()
    }
  })

  it('capacity page: booked vs capacity per day, the efficiency of the latest solve, the binding slots, in both languages', async () => {
    // Repairs wanted today, a small bench and a bid-prices run: the forecast from them
    // contests the bench days, so they bind and are priced.
    const network = server.runtime.navigator!.network
    const repairTypes = new Set(network.nodes.flatMap((n) => n.repairProductTypes))
    const repairable = [...network.catalog.values()].find((c) => c.repairable && repairTypes.has(c.productType ?? ''))!
    for (let i = 0; i < 12; i++) {
      await ingest(server.url, returnRequest(`E2E-CAP-${i}-${Date.now().toString(36)}`, repairable.sku, {
        lines: [{ sku: repairable.sku, qty: 1, unitPrice: repairable.price, reason: 'defective', condition: 'defective', wants: 'repair' }],
      }))
    }
    const put = await fetch(`${server.url}/api/v1/network/nodes/SZ-RP/capacity`, {
      method: 'PUT', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify({ repairBenchHoursPerDay: 4 }),
    })
    expect(put.status).toBe(200)
    expect((await server.runtime.scheduler.runNow('bid-prices')).status).toBe('ok')
    await page.goto(`${server.url}/capacity`)
    await page.getByTestId('capacity-table').waitFor({ timeout: WAIT })
    expect(await page.getByTestId('capacity-table').innerText()).toContain('SZ-RP')
    await expect.poll(() => page.getByTestId('capacity-efficiency').innerText(), { timeout: WAIT }).toMatch(/Capacity efficiency\s+(\d+(\.\d+)?\s?%|—)/)
    // Bid prices over time: the solves of the change and of the run by hand, drawn per slot.
    const history = await get(`${server.url}/api/v1/capacity/history`, admin)
    expect(history.body.solves.length).toBeGreaterThanOrEqual(2)
    expect((history.body.prices as { resource: string }[]).some((p) => p.resource === 'bench')).toBe(true)
    const historyCard = page.getByTestId('capacity-history')
    await historyCard.locator('canvas').first().waitFor({ timeout: WAIT })
    expect(await historyCard.innerText()).toContain('Bid prices over time')
    expect(await page.getByTestId('capacity-history-solves').innerText()).toBe(`Solves: ${history.body.solves.length}`)
    // The resources that bind, each with why: booked to its limit or priced.
    await page.getByTestId('capacity-binding').waitFor({ timeout: WAIT })
    expect(await page.getByTestId('capacity-binding').innerText()).toMatch(/booked to its limit|priced|full and priced/)
    await shot(page, 'capacity-en')
    await page.getByTestId('lang-zh').click()
    await expect.poll(() => page.getByTestId('capacity-efficiency').innerText(), { timeout: WAIT }).toContain('产能效率')
    expect(await historyCard.innerText()).toContain('影子价格走势')
    expect(await page.getByTestId('capacity-binding').innerText()).toMatch(/已订满|有影子价格/)
    await shot(page, 'capacity-zh')
    await page.getByTestId('lang-en').click()
    expect(pageErrors).toEqual([])
  })

  it('overview: the capacity-efficiency tile of the latest solve, with a tooltip saying what it means, in both languages', async () => {
    const latest = (await get(`${server.url}/api/v1/capacity/efficiency`, admin)).body.solve
    expect(latest).not.toBeNull()
    await page.goto(`${server.url}/`)
    const tile = page.getByTestId('kpi-capacityEfficiency')
    await tile.waitFor({ timeout: WAIT })
    const shown = latest.efficiency === null ? '—' : new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 }).format(latest.efficiency)
    await expect.poll(() => tile.innerText(), { timeout: WAIT }).toContain('Capacity efficiency')
    expect(await tile.innerText()).toContain(shown)
    expect(await tile.innerText()).toMatch(/gap ¥[\d,.]+ a line · wishes lost \d+ \(hindsight [\d.]+\)/)
    expect(await tile.getAttribute('title')).toMatch(/best use of the capacity they shared[\s\S]*hindsight[\s\S]*over \d+ return lines/)
    await tile.hover()
    await shot(page, 'overview-capacity-en')
    await page.getByTestId('lang-zh').click()
    await expect.poll(() => tile.innerText(), { timeout: WAIT }).toContain('产能效率')
    expect(await tile.getAttribute('title')).toContain('事后')
    await shot(page, 'overview-capacity-zh')
    await page.getByTestId('lang-en').click()
    expect(pageErrors).toEqual([])
  })
})
