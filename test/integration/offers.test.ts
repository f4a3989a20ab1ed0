// Offers over HTTP (issue 15 item 2): the customer answers on the tracking page without a
// key; the answer is stored as a return.offer_answered event, an acceptance re-decides the
// line durably; unknown offers 404, answered ones 409, bad bodies 400.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { get, post, startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'

let server: TestServer
beforeAll(async () => {
  server = await startTestServer({ runtime: { navigator: true }, env: { DEMO: '0' } })
})
afterAll(async () => { await server?.close() })

let seq = 0
/** Transit damage 10 days after delivery: not a refund right any more, so a partial refund is offered. */
function damagedShirt() {
  const n = ++seq
  const now = Date.now()
  return {
    eventId: `offer-flow-${n}`, type: 'return.requested', occurredAt: new Date(now - 60_000).toISOString(),
    deliveredAt: new Date(now - 10 * 86_400_000).toISOString(),
    rmaId: `RMA-OFFER-${n}`, orderId: `O-OFFER-${n}`,
    customer: { id: `C-O-${n}`, lat: 31.2, lon: 121.4, trusted: true }, channel: 'app',
    lines: [{ sku: 'AP-0001', qty: 1, unitPrice: 139, reason: 'damaged_in_transit', condition: 'damaged', wants: 'refund' }],
  }
}

async function decided(ev: ReturnType<typeof damagedShirt>) {
  const res = await post(`${server.url}/api/v1/events`, ev, TEST_KEYS.ingest)
  expect(res.body.accepted).toBe(1)
  const ref = res.body.results[0].decisions[0]
  const page = await get(`${server.url}/api/v1/returns/${ev.rmaId}`, TEST_KEYS.viewer)
  return { ref, decision: page.body.decisions[0] }
}

describe('offers on the tracking page', () => {
  it('lists the offers customers have not answered for customer service, and drops an answered one', async () => {
    const { ref, decision } = await decided(damagedShirt())
    const offer = decision.offers[0]
    const pending = async () => (await get(`${server.url}/api/v1/offers/pending?limit=500`, TEST_KEYS.viewer)).body.items as { offerId: string }[]
    expect((await pending()).find((o) => o.offerId === offer.offerId)).toMatchObject({
      rmaId: decision.rmaId, lineIndex: 0, wish: 'refund', resolution: offer.resolution, incentive: offer.incentive, customerId: expect.any(String),
    })
    expect((await get(`${server.url}/api/v1/offers/pending?limit=0`, TEST_KEYS.viewer)).status).toBe(400)
    expect((await get(`${server.url}/api/v1/offers/pending`)).status).toBe(401)
    const url = `${server.url}/api/v1/track/${ref.trackingToken}/offers/${encodeURIComponent(offer.offerId)}`
    expect((await post(url, { accept: false }, '')).status).toBe(200)
    expect((await pending()).some((o) => o.offerId === offer.offerId)).toBe(false)
  })

  it('shows the offer, takes an acceptance once, and the line is re-decided durably', async () => {
    const { ref, decision } = await decided(damagedShirt())
    expect(decision).toMatchObject({ resolution: 'refund', wish: 'refund', wishHonoured: true })
    const offer = decision.offers.find((o: { resolution: string }) => o.resolution === 'partial_refund')
    expect(offer.incentive).toBeGreaterThan(0)
    const track = await get(`${server.url}/api/v1/track/${ref.trackingToken}`)
    expect(track.body.lines[0].offers).toEqual([{ offerId: offer.offerId, resolution: 'partial_refund', incentive: offer.incentive, expiresAt: offer.expiresAt, summary: offer.summary }])

    const url = `${server.url}/api/v1/track/${ref.trackingToken}/offers/${encodeURIComponent(offer.offerId)}`
    expect((await post(url, { accept: 'yes' }, '')).status).toBe(400)
    const ok = await post(url, { accept: true }, '')
    expect(ok.status).toBe(200)
    expect(ok.body.decisions[0]).toMatchObject({ resolution: 'partial_refund' })
    const again = await post(url, { accept: true }, '')
    expect(again.status).toBe(409)
    const page = await get(`${server.url}/api/v1/returns/${ref.rmaId ?? decision.rmaId}`, TEST_KEYS.viewer)
    const accepted = page.body.decisions.find((d: { trigger: string }) => d.trigger === 'offer_accepted')
    expect(accepted).toMatchObject({ resolution: 'partial_refund', supersedes: decision.decisionId })
  })

  it('an answer that cannot be stored is refused (503) and taken back, so its retry is taken', async () => {
    const { ref, decision } = await decided(damagedShirt())
    const offer = decision.offers[0]
    const url = `${server.url}/api/v1/track/${ref.trackingToken}/offers/${encodeURIComponent(offer.offerId)}`
    const command = (query: string) => server.runtime.ctx.store.client.command({ query })
    await command('DETACH TABLE decisions')
    try {
      expect((await post(url, { accept: true }, '')).status).toBe(503)
    } finally {
      await command('ATTACH TABLE decisions')
    }
    const retry = await post(url, { accept: true }, '')
    expect(retry.status).toBe(200)
    expect(retry.body.decisions[0]).toMatchObject({ resolution: offer.resolution })
  })

  it('a decline is stored and answered once; unknown offers and tokens are 404', async () => {
    const { ref, decision } = await decided(damagedShirt())
    const offer = decision.offers[0]
    const url = `${server.url}/api/v1/track/${ref.trackingToken}/offers/${encodeURIComponent(offer.offerId)}`
    const no = await post(url, { accept: false }, '')
    expect(no.status).toBe(200)
    expect(no.body.decisions).toEqual([])
    expect((await post(url, { accept: true }, '')).status).toBe(409)
    const track = await get(`${server.url}/api/v1/track/${ref.trackingToken}`)
    expect(track.body.lines[0].offers.map((o: { offerId: string }) => o.offerId)).not.toContain(offer.offerId)
    expect((await post(`${server.url}/api/v1/track/${ref.trackingToken}/offers/nope`, { accept: true }, '')).status).toBe(404)
    expect((await post(`${server.url}/api/v1/track/AAAAAAAAAAAAAAAAAAAAAA/offers/${encodeURIComponent(offer.offerId)}`, { accept: true }, '')).status).toBe(404)
  })
})
