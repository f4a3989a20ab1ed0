// A stand-in for the revnav API with plausible data, used to look at every dashboard page
// while the real analytics and navigator routes are still being built. Shapes follow
// shared/API.md and the shapes the dashboard reads defensively. Not used by `npm test`.
//   npx tsx test/e2e/mock-api.ts [port]
import { createServer } from 'node:http'
import { readFileSync, existsSync } from 'node:fs'
import { join, extname } from 'node:path'
import { Server } from 'socket.io'

const PORT = Number(process.argv[2] ?? 18181)
const DIST = join(import.meta.dirname, '../../dist/client')
const KEYS: Record<string, string> = { 'mock-admin': 'admin', 'mock-viewer': 'viewer' }
const now = Date.now()
const iso = (msAgo: number) => new Date(now - msAgo).toISOString()

const reasons = ['size_too_small', 'size_too_large', 'defective', 'damaged_in_transit', 'wrong_item', 'not_as_described', 'changed_mind', 'late_delivery', 'better_price', 'other']
const cats = ['apparel', 'footwear', 'electronics', 'home', 'beauty']
const rnd = (i: number) => ((Math.sin(i * 9301 + 49297) + 1) / 2)

let seq = 0
function decision(i: number) {
  const res = ['refund', 'exchange', 'repair', 'store_credit', 'keep_it'][i % 5]
  const mode = res === 'keep_it' ? 'none' : ['courier_pickup', 'drop_off', 'self_ship'][i % 3]
  const path = { resolution: res, inboundMode: mode, receivingNodeId: mode === 'none' ? null : ['SH-WH1', 'HZ-RC', 'SZ-REP'][i % 3], exchangeSourceNodeId: res === 'exchange' ? 'SH-WH1' : null, disposition: mode === 'none' ? 'none' : ['restock_new', 'open_box_refurbish', 'outlet_promotion', 'return_to_vendor'][i % 4] }
  const totals = { netCost: 20 + rnd(i) * 80, recovery: 100 * rnd(i + 1), waitHours: 12 + rnd(i + 2) * 60, co2Kg: 0.3 + rnd(i + 3), score: 50 + rnd(i + 4) * 50 }
  return {
    ...path, decisionId: `d-${i}`, rmaId: `RMA-${1000 + i}`, lineIndex: 0, sku: `${cats[i % 5].slice(0, 3).toUpperCase()}-${100 + (i % 37)}`, trigger: 'requested',
    decidedAt: iso((50 - i) * 60_000), steps: [{ kind: 'book_pickup', nodeId: null, etaHours: 2, cost: 8 }, { kind: 'transit', nodeId: 'SH-WH1', etaHours: 26, cost: 12 }, { kind: 'inspect', nodeId: 'SH-WH1', etaHours: 30, cost: 12 }, { kind: 'refund', nodeId: null, etaHours: 31, cost: 299 }],
    totals, breakdown: { logistics: 20, handling: 16, refund: 299, recovery: -240, wait: 31 * 0.8, co2: 0.4, cx: 0 },
    alternatives: [
      { ...path, inboundMode: 'drop_off', totals: { ...totals, score: totals.score + 4 }, breakdown: { logistics: 9, handling: 16, refund: 299, recovery: -240, wait: 52 * 0.8, co2: 0.2, cx: 0 } },
      { ...path, resolution: 'store_credit', totals: { ...totals, score: totals.score + 9 }, breakdown: { logistics: 20, handling: 16, refund: 254, recovery: -240, wait: 25, co2: 0.4, cx: 30 } },
    ],
    flipPoints: [{ weight: 'wait', current: 0.8, flipsAt: 0.62, direction: 'below' }, { weight: 'co2', current: 1.35, flipsAt: 7.2, direction: 'above' }],
    rejections: { out_of_stock: 4, repair_capacity: 2, return_window: 0 }, candidates: 86, weightsVersion: 1, priority: 0.4,
    tasks: [{ role: 'logistics', action: 'Book courier pickup', dueAt: iso(-3_600_000) }, { role: 'warehouse', action: 'Inspect at SH-WH1', dueAt: iso(-30 * 3_600_000) }],
    trackingToken: `tok${i}`, baseline: { resolution: 'refund', inboundMode: 'self_ship', receivingNodeId: 'SH-WH1', disposition: 'restock_new', totals: { ...totals, netCost: totals.netCost + 25, waitHours: totals.waitHours + 90 } },
  }
}

let weights = { version: 1, author: 'system', createdAt: iso(86_400_000 * 3), comment: 'defaults', weights: { cost: 1, wait: 0.8, co2: 1.35, cx: 40, risk: 2 }, policy: { returnWindowDays: 30, keepItMaxValue: 60, keepItMaxRisk: 0.2, storeCreditBreakage: 0.15, repairMaxShareOfValue: 0.5, instantRefundTrustedOnly: true, nonReturnableCategories: ['underwear'] } }
const versions = [weights]

const skus = Array.from({ length: 60 }, (_, i) => {
  const sold = 200 + Math.round(rnd(i) * 2000)
  const rate = [0.3, 0.22, 0.1, 0.07, 0.05][i % 5] * (0.6 + rnd(i + 7)) * (i === 7 ? 3 : 1)
  return { sku: `${cats[i % 5].slice(0, 3).toUpperCase()}-${100 + i}`, category: cats[i % 5], unitsSold: sold, unitsReturned: Math.round(sold * rate), returnRate: rate, netCost: sold * rate * 31, topReasons: [{ reason: reasons[i % 10], count: 9 }, { reason: reasons[(i + 3) % 10], count: 4 }], anomaly: i === 7 ? { kind: 'category_outlier' } : null }
})

const api: Record<string, (url: URL, body: unknown, method: string) => unknown> = {
  '/api/v1/me': () => ({ role: 'admin' }),
  '/api/v1/network': () => ({ demo: true, nodes: [] }),
  '/api/v1/kpis': () => ({ returnsToday: 412, returnsPerHour: 31.5, openByStatus: { requested: 80, in_transit: 122, received: 40, inspected: 18, repair_started: 9 }, turnaround: { p50Hours: 41, p90Hours: 118 }, costPerReturn: 23.4, recoveryRate: 0.64, savingsVsBaseline: 18250, savingsRate: 0.21,
    returnsOverTime: Array.from({ length: 24 }, (_, h) => ({ t: new Date(now - (23 - h) * 3_600_000).toISOString().slice(0, 13) + ':00:00Z', returns: Math.round(20 + 15 * Math.sin(h / 4) + rnd(h) * 8), orders: Math.round(200 + 90 * Math.sin(h / 4)) })) }),
  '/api/v1/reasons': () => ({ items: reasons.map((reason, i) => ({ reason, count: Math.round(300 / (i + 1)) })) }),
  '/api/v1/turnaround': () => ({ p50Hours: 41, p90Hours: 118, histogram: [[0, 24, 40], [24, 48, 120], [48, 72, 90], [72, 120, 60], [120, 168, 25], [168, 336, 8]].map(([fromHours, toHours, count]) => ({ fromHours, toHours, count })) }),
  '/api/v1/flows': () => ({ nodes: [], links: [
    ['reason:size_too_small', 'resolution:exchange', 120], ['reason:size_too_large', 'resolution:exchange', 80], ['reason:defective', 'resolution:repair', 60], ['reason:defective', 'resolution:refund', 30], ['reason:changed_mind', 'resolution:refund', 90], ['reason:changed_mind', 'resolution:store_credit', 40], ['reason:damaged_in_transit', 'resolution:keep_it', 25],
    ['resolution:exchange', 'disposition:restock_new', 170], ['resolution:exchange', 'disposition:open_box_refurbish', 30], ['resolution:repair', 'disposition:return_to_vendor', 60], ['resolution:refund', 'disposition:restock_new', 80], ['resolution:refund', 'disposition:outlet_promotion', 40], ['resolution:store_credit', 'disposition:restock_new', 40], ['resolution:keep_it', 'disposition:none', 25],
  ].map(([source, target, value]) => ({ source, target, value })) }),
  '/api/v1/skus': (url) => {
    let items = skus.filter((s) => !url.searchParams.get('category') || s.category === url.searchParams.get('category'))
    const sort = (url.searchParams.get('sort') ?? 'returnRate') as 'returnRate'
    const dir = url.searchParams.get('order') === 'asc' ? 1 : -1
    items = [...items].sort((a, b) => (a[sort] - b[sort]) * dir)
    const off = Number(url.searchParams.get('offset') ?? 0); const lim = Number(url.searchParams.get('limit') ?? 50)
    return { items: items.slice(off, off + lim), total: items.length }
  },
  '/api/v1/weights': (_u, body, method) => {
    if (method === 'PUT') {
      const b = body as { weights?: object; policy?: object; comment?: string }
      weights = { version: weights.version + 1, author: 'mock-admin', createdAt: new Date().toISOString(), comment: b.comment ?? '', weights: { ...weights.weights, ...b.weights }, policy: { ...weights.policy, ...b.policy } }
      versions.push(weights)
    }
    return weights
  },
  '/api/v1/weights/versions': () => ({ items: [...versions].reverse() }),
  '/api/v1/weights/preview': () => ({ n: 10000, changed: 1342,
    current: { totalCost: 234000, avgCost: 23.4, medianWaitHours: 41, totalCo2Kg: 5200, resolutionMix: { refund: 4200, exchange: 3100, repair: 800, store_credit: 1200, keep_it: 700 }, dispositionMix: { restock_new: 5200, open_box_refurbish: 1800, outlet_promotion: 1200, return_to_vendor: 600, liquidate: 500 } },
    candidate: { totalCost: 226500, avgCost: 22.65, medianWaitHours: 52, totalCo2Kg: 4700, resolutionMix: { refund: 3900, exchange: 3300, repair: 900, store_credit: 1200, keep_it: 700 }, dispositionMix: { restock_new: 5300, open_box_refurbish: 1800, outlet_promotion: 1100, return_to_vendor: 600, liquidate: 500 } },
    delta: { totalCost: -7500 },
    sample: [0, 1, 2, 3].map((i) => { const d = decision(i); return { rmaId: d.rmaId, lineIndex: 0, before: { ...d, score: 50 }, after: { ...d, inboundMode: 'drop_off', score: 48 } } }) }),
}

function routeDynamic(path: string): unknown {
  let m = path.match(/^\/api\/v1\/skus\/(.+)$/)
  if (m) {
    const s = skus.find((x) => x.sku === decodeURIComponent(m![1])) ?? skus[7]
    return { ...s, trend: Array.from({ length: 30 }, (_, d) => ({ date: new Date(now - (29 - d) * 86_400_000).toISOString().slice(0, 10), returnRate: s.returnRate * (0.7 + rnd(d) * 0.6) * (d > 22 ? 1.6 : 1), categoryRate: 0.1 + rnd(d + 50) * 0.02 })),
      reasons: { defective: 40, not_as_described: 12, changed_mind: 8 }, dispositions: [{ disposition: 'return_to_vendor', count: 30 }, { disposition: 'liquidate', count: 10 }],
      cost: { netCost: 3120, logistics: 820, handling: 640, refunds: 9800, recovery: 8140, perReturn: 31.2 }, recentReturns: [0, 1, 2, 3, 4].map((i) => ({ rmaId: `RMA-${1000 + i}`, requestedAt: iso(i * 3_600_000), reason: 'defective', resolution: 'repair', netCost: 30 + i })) }
  }
  m = path.match(/^\/api\/v1\/returns\/(.+)$/)
  if (m) {
    const d = decision(3)
    const older = { ...decision(4), decisionId: 'd-old', decidedAt: iso(5 * 3_600_000) }
    return { request: { rmaId: d.rmaId, orderId: 'O-88', occurredAt: iso(6 * 3_600_000), channel: 'app', customer: { id: 'cust-42', region: 'Shanghai' }, lines: [{ sku: d.sku, qty: 1, unitPrice: 299, reason: 'defective', condition: 'defective', wants: 'repair' }] },
      decisions: [{ ...d, supersedes: 'd-old', trigger: 'inspected' }, older], tasks: d.tasks.map((t) => ({ ...t, lineIndex: 0 })),
      timeline: [{ status: 'label_created', at: iso(5.5 * 3_600_000) }, { status: 'picked_up', at: iso(3 * 3_600_000), nodeId: 'SH-WH1' }, { status: 'received', at: iso(3_600_000), nodeId: 'SH-WH1', note: 'scanned at dock 3' }] }
  }
  m = path.match(/^\/api\/v1\/track\/(.+)$/)
  if (m) {
    if (m[1] === 'missing') return null
    return { rmaId: 'RMA-1003', status: 'picked_up', requestedAt: iso(6 * 3_600_000), timeline: [{ status: 'requested', at: iso(6 * 3_600_000) }, { status: 'label_created', at: iso(5.5 * 3_600_000) }, { status: 'picked_up', at: iso(3 * 3_600_000) }], etaAt: iso(-40 * 3_600_000),
      lines: [{ lineIndex: 0, sku: 'ELE-103', resolution: 'repair', inboundMode: 'courier_pickup', refundStatus: 'not_applicable', exchangeStatus: 'not_applicable', repairStatus: 'pending' }] }
  }
  return undefined
}

const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.svg': 'image/svg+xml' }
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x')
  let raw = ''
  req.on('data', (c) => (raw += c))
  req.on('end', () => {
    if (url.pathname.startsWith('/api/')) {
      const isTrack = url.pathname.startsWith('/api/v1/track/')
      const key = (req.headers.authorization ?? '').replace(/^Bearer /, '')
      if (!isTrack && !KEYS[key]) { res.writeHead(401, { 'content-type': 'application/json' }); return res.end('{"error":"unauthorized","message":"missing or invalid API key"}') }
      const handler = api[url.pathname]
      const out = handler ? handler(url, raw ? JSON.parse(raw) : undefined, req.method ?? 'GET') : routeDynamic(url.pathname)
      if (out === undefined || out === null) { res.writeHead(404, { 'content-type': 'application/json' }); return res.end('{"error":"not_found","message":"not found"}') }
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(JSON.stringify(key === 'mock-viewer' && url.pathname === '/api/v1/me' ? { role: 'viewer' } : out))
    }
    const file = join(DIST, url.pathname)
    const target = url.pathname !== '/' && existsSync(file) && extname(file) ? file : join(DIST, 'index.html')
    res.writeHead(200, { 'content-type': types[extname(target)] ?? 'application/octet-stream' })
    res.end(readFileSync(target))
  })
})

const io = new Server(server)
io.use((socket, next) => (KEYS[socket.handshake.auth?.key] ? next() : next(new Error('unauthorized'))))
io.on('connection', (socket) => {
  socket.on('subscribe', (rooms: string[], opts: unknown, ack?: (a: unknown) => void) => {
    for (const r of rooms) void socket.join(r)
    ;(typeof opts === 'function' ? opts : ack)?.({ joined: rooms.map((room) => ({ room, seq })), refused: [] })
    if (rooms.includes('decisions')) socket.emit('decisions', { room: 'decisions', seq: ++seq, items: Array.from({ length: 8 }, (_, i) => decision(i)) })
  })
})
let n = 8
setInterval(() => { io.to('decisions').emit('decisions', { room: 'decisions', seq: ++seq, items: [decision(n++)] }) }, 1500)
setTimeout(() => io.to('alerts').emit('alerts', { room: 'alerts', seq: ++seq, items: [{ sku: 'ELE-107', kind: 'category_outlier', evidence: { rate: 0.31, categoryRate: 0.1 }, detectedAt: new Date().toISOString() }] }), 2500)
server.listen(PORT, () => console.log(`mock API on http://localhost:${PORT}/?key=mock-admin`))
