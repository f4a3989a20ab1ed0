// The anomalies job: detection, alerts once per episode, the mark in the SKU list.
// Against a real embedded ClickHouse on a generated history (store.ts).
import { describe, expect, it } from 'vitest'
import { scheduler, messages, get, usePipelineStore } from './store.js'

usePipelineStore()

describe('anomalies', () => {
  it('flags the spike SKU (against its own baseline) and the high SKU (against its category), and no normal SKU', async () => {
    const { body } = await get('/api/v1/anomalies')
    const found = body.items.map((a: { sku: string; kind: string }) => `${a.sku}:${a.kind}`).sort()
    expect(found).toEqual(['SKU-HIGH:above_category', 'SKU-SPIKE:spike'])
    const spike = body.items.find((a: { sku: string }) => a.sku === 'SKU-SPIKE')
    expect(spike).toMatchObject({ active: true, unitsSold: 210, unitsReturned: 30, referenceRate: 0.02 })
    expect(spike.evidence).toMatchObject({ window: '7d', unitsSold: 210, unitsReturned: 30, reference: 'own_previous_30d', referenceRate: 0.02 })
    expect(spike.evidence.topReasons).toEqual([{ reason: 'other', units: 20 }, { reason: 'damaged_in_transit', units: 10 }])
    expect(spike.wilsonLow).toBeGreaterThan(0.02)
  })

  it('pushed one alert per new episode, with its evidence, and none when the episodes continue', async () => {
    const alerts = messages.filter((m) => m.room === 'alerts').map((m) => m.item as { sku: string; evidence: object })
    expect(alerts.map((a) => a.sku).sort()).toEqual(['SKU-HIGH', 'SKU-SPIKE'])
    expect(alerts[0].evidence).toHaveProperty('topReasons')
    const before = messages.length
    await scheduler.runNow('anomalies')
    expect(messages.slice(before).filter((m) => m.room === 'alerts')).toEqual([])
    const { body } = await get('/api/v1/anomalies?state=all')
    expect(body.total).toBe(2)
  })

  it('marks the SKU in the list', async () => {
    const { body } = await get('/api/v1/skus?window=30d&sort=anomaly&limit=2')
    expect(body.items[0]).toMatchObject({ sku: 'SKU-HIGH', anomaly: { kind: 'above_category' } })
  })
})
