// Screenshots of every page in zh and en against a REAL running server (fed with
// `npx tsx test/e2e/feed.ts <baseUrl> <adminKey>` first):
//   node test/e2e/screenshots.mjs <baseUrl> <adminKey> [prefix]
// Picks a SKU with returns, one of its recent returns, and ingests one fresh return for a
// tracking token. PREVIEW=0 skips the what-if on the routing page.
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'

const [base = 'http://localhost:18090', key = 'e2e-admin-key-0001', prefix = 'real'] = process.argv.slice(2)
const out = new URL('./screenshots/', import.meta.url).pathname
mkdirSync(out, { recursive: true })

const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
const skus = await (await fetch(`${base}/api/v1/skus?sort=unitsReturned&limit=5`, { headers })).json()
const sku = process.env.SKU ?? skus.items?.[0]?.sku ?? 'EL-0050'
const detail = await (await fetch(`${base}/api/v1/skus/${sku}`, { headers })).json()
const rmaId = process.env.RMA ?? detail.recentReturns?.[0]?.rmaId ?? 'RMA-MAN-1'
const shot = `SHOT-${Date.now().toString(36)}`
const ingest = await (await fetch(`${base}/api/v1/events`, {
  method: 'POST', headers,
  body: JSON.stringify({
    eventId: shot, type: 'return.requested', occurredAt: new Date().toISOString(), rmaId: shot, orderId: `O-${shot}`,
    customer: { id: 'C-shot', lat: 31.2, lon: 121.4 }, channel: 'app',
    lines: [{ sku, qty: 1, unitPrice: 289, reason: 'defective', condition: 'defective', wants: 'refund' }],
  }),
})).json()
const token = process.env.TRACK_TOKEN ?? ingest.results?.[0]?.decisions?.[0]?.trackingToken
console.log({ sku, rmaId, token })

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'] })
const pages = [
  ['overview', '/'], ['skus', '/skus'], ['sku', `/skus/${sku}`], ['routing', '/routing'], ['return', `/returns/${rmaId}`],
]
for (const lang of ['en', 'zh']) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang === 'zh' ? 'zh-CN' : 'en-US' })
  const page = await ctx.newPage()
  page.on('pageerror', (e) => console.log(`[${lang}] pageerror`, e.message))
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log(`[${lang}] console.${m.type()}`, m.text()) })
  page.on('response', (r) => { if (r.status() >= 400) console.log(`[${lang}] ${r.status()} ${r.url()}`) })
  await page.goto(`${base}/login`)
  await page.screenshot({ path: `${out}${prefix}-login-${lang}.png` })
  await page.goto(`${base}/#key=${key}`)
  await page.evaluate((l) => localStorage.setItem('revnav.locale', l), lang)
  for (const [name, path] of pages) {
    await page.goto(base + path)
    await page.waitForLoadState('networkidle').catch(() => {})
    await page.waitForTimeout(1500)
    if (name === 'routing' && process.env.PREVIEW !== '0') {
      const wait = page.getByTestId('weight-wait')
      if (await wait.count()) {
        await wait.fill('0.2'); await wait.dispatchEvent('change')
        await page.getByTestId('weights-preview').click()
        await page.getByTestId('preview-result').waitFor({ timeout: 60_000 }).catch((e) => console.log('preview', e.message))
        await page.waitForTimeout(1200)
        await page.getByTestId('preview-result').screenshot({ path: `${out}${prefix}-preview-${lang}.png` }).catch(() => {})
      }
    }
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: `${out}${prefix}-${name}-${lang}.png`, fullPage: true })
  }
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: lang === 'zh' ? 'zh-CN' : 'en-US' })
  const p2 = await phone.newPage()
  p2.on('pageerror', (e) => console.log(`[${lang}] track pageerror`, e.message))
  await p2.goto(`${base}/track/${token}`)
  await p2.waitForLoadState('networkidle').catch(() => {})
  await p2.waitForTimeout(800)
  await p2.screenshot({ path: `${out}${prefix}-track-${lang}.png`, fullPage: true })
  await p2.goto(`${base}/track/missing-token-0000000`)
  await p2.waitForTimeout(1000)
  await p2.screenshot({ path: `${out}${prefix}-track404-${lang}.png`, fullPage: true })
  await ctx.close(); await phone.close()
}
await browser.close()
console.log('screenshots in', out)
