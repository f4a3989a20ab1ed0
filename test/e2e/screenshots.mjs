// Takes screenshots of every page in zh and en: node test/e2e/screenshots.mjs <baseUrl> <key> [prefix]
import { chromium } from 'playwright-core'
import { mkdirSync } from 'node:fs'

const [base = 'http://localhost:18181', key = 'mock-admin', prefix = 'mock'] = process.argv.slice(2)
const out = new URL('./screenshots/', import.meta.url).pathname
mkdirSync(out, { recursive: true })
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] })
const pages = [
  ['overview', '/'], ['skus', '/skus'], ['sku', '/skus/HOM-107'], ['routing', '/routing'], ['return', '/returns/RMA-1003'],
]
for (const lang of ['en', 'zh']) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: lang === 'zh' ? 'zh-CN' : 'en-US' })
  const page = await ctx.newPage()
  page.on('pageerror', (e) => console.log(`[${lang}] pageerror`, e.message))
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') console.log(`[${lang}] console.${m.type()}`, m.text()) })
  await page.goto(`${base}/login`)
  await page.screenshot({ path: `${out}${prefix}-login-${lang}.png` })
  await page.goto(`${base}/?key=${key}`)
  for (const [name, path] of pages) {
    await page.goto(base + path)
    await page.waitForTimeout(2500)
    if (name === 'routing' && process.env.PREVIEW !== '0') {
      const wait = page.getByTestId('weight-wait')
      if (await wait.count()) {
        await wait.fill('0.5'); await wait.dispatchEvent('change')
        await page.getByTestId('weights-preview').click()
        await page.waitForTimeout(2000)
      }
    }
    await page.screenshot({ path: `${out}${prefix}-${name}-${lang}.png`, fullPage: true })
  }
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, locale: lang === 'zh' ? 'zh-CN' : 'en-US' })
  const p2 = await phone.newPage()
  await p2.goto(`${base}/track/${process.env.TRACK_TOKEN ?? 'tok3'}`)
  await p2.waitForTimeout(1500)
  await p2.screenshot({ path: `${out}${prefix}-track-${lang}.png`, fullPage: true })
  await p2.goto(`${base}/track/missing`)
  await p2.waitForTimeout(1000)
  await p2.screenshot({ path: `${out}${prefix}-track404-${lang}.png`, fullPage: true })
  await ctx.close(); await phone.close()
}
await browser.close()
console.log('screenshots in', out)
