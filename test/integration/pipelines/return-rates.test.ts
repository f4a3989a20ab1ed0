// The return-rates job and the SKU list it feeds.
// Against a real embedded ClickHouse on a generated history (store.ts).
import { describe, expect, it } from 'vitest'
import { runtime, today, get, usePipelineStore } from './store.js'

usePipelineStore()

describe('return rates', () => {
  it('computes 1,000 sold and 37 returned → 3.7 % for SKU-X, with its top reasons', async () => {
    const { status, body } = await get('/api/v1/skus?window=30d&category=apparel&sort=unitsSold&order=asc&limit=500')
    expect(status).toBe(200)
    const x = body.items.find((i: { sku: string }) => i.sku === 'SKU-X')
    expect(x).toMatchObject({ sku: 'SKU-X', category: 'apparel', unitsSold: 1000, unitsReturned: 37, returnRate: 0.037, anomaly: null })
    expect(x.topReasons.map((r: { reason: string; units: number }) => [r.reason, r.units])).toEqual([['size_too_small', 20], ['defective', 10], ['changed_mind', 7]])
    expect(body.items.every((i: { category: string }) => i.category === 'apparel')).toBe(true)
    const sold = body.items.map((i: { unitsSold: number }) => i.unitsSold)
    expect(sold).toEqual([...sold].sort((a: number, b: number) => a - b))
  })

  it('leaves SKUs under the minimum volume out unless asked, and pages with a total', async () => {
    const defaults = await get('/api/v1/skus?window=all')
    expect(defaults.body.items.map((i: { sku: string }) => i.sku)).not.toContain('SKU-TINY')
    const all = await get('/api/v1/skus?window=all&minVolume=0&sort=returnRate&order=desc&limit=2&offset=0')
    expect(all.body.total).toBe(7)
    expect(all.body.items.map((i: { sku: string; returnRate: number }) => [i.sku, i.returnRate])).toEqual([['SKU-TINY', 1], ['SKU-HIGH', 0.12]])
    const past = await get('/api/v1/skus?window=all&minVolume=0&offset=100')
    expect(past.body).toEqual({ items: [], total: 7 })
  })

  it('computes an explicit from/to range live from the daily roll-ups', async () => {
    const day = (ago: number) => new Date(today.getTime() - ago * 86_400_000).toISOString().slice(0, 10)
    const { body } = await get(`/api/v1/skus?from=${day(25)}&to=${day(1)}&minVolume=0&limit=500`)
    expect(body.items.find((i: { sku: string }) => i.sku === 'SKU-X')).toMatchObject({ unitsSold: 1000, unitsReturned: 37, returnRate: 0.037 })
  })

  it.each([
    ['sort=popularity', 'sort'],
    ['limit=501', 'limit'],
    ['window=14d', 'window'],
    ['minVolume=-1', 'minVolume'],
    ['from=yesterday', 'from'],
    ['colour=red', 'colour'],
  ])('answers 400 naming the parameter for %s', async (qs, name) => {
    const { status, body } = await get(`/api/v1/skus?${qs}`)
    expect(status).toBe(400)
    expect(body.error).toBe('bad_request')
    expect(body.issues.map((i: { path: string }) => i.path)).toContain(name)
    expect(body.message).toContain(name)
  })

  it('needs a key', async () => {
    const res = await runtime.app.inject({ method: 'GET', url: '/api/v1/skus' })
    expect(res.statusCode).toBe(401)
  })
})
