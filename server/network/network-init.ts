// A merchant's own network from a CSV of sites (id,kind,lat,lon,capabilities with
// capabilities ;-separated), with documented defaults for everything else: modes,
// outbound, channels, rules, policy and one category, taken from the demo network's
// model and its money scaled to the merchant's currency (docs/getting-started.md).
// Pure: CSV text and options in, a network file document (or errors with paths) out.
import { parseCsv } from '../csv.js'
import { loadNetwork, type NetworkFileInput } from '../navigator/network.js'

export interface SiteError { path: string; message: string }

/**
 * Rough value of one unit of a currency in CNY (the demo network's money), so default
 * tariffs and handling costs land in a plausible range; every figure stays editable.
 */
export const CNY_PER_UNIT: Record<string, number> = {
  CNY: 1, GBP: 9.1, EUR: 7.8, USD: 7.2, CHF: 8.1, CAD: 5.2, AUD: 4.7, JPY: 0.048, SEK: 0.68, NOK: 0.67, DKK: 1.05, PLN: 1.8, INR: 0.086, HKD: 0.92, SGD: 5.4,
}

/** The demo network's parts a new network inherits (money converted), read by the caller. */
export type Template = NetworkFileInput

const MONEY_KEYS = new Set(['base', 'perKg', 'perKm', 'surcharge', 'costPerUnit', 'labourRatePerHour', 'cost', 'receive', 'inspect',
  'defaultPrice', 'adminCostPerUnit', 'keepItMaxValue'])

/** Scales every money field of a JSON value (by key name) by `factor`, rounded to cents. */
function scaleMoney<T>(value: T, factor: number): T {
  if (Array.isArray(value)) return value.map((v) => scaleMoney(v, factor)) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k,
      typeof v === 'number' && MONEY_KEYS.has(k) ? Math.round(v * factor * 10_000) / 10_000 : scaleMoney(v, factor)])) as T
  }
  return value
}

export function networkFromSites(csv: string, opts: { currency: string; template: Template; name?: string }):
  { ok: true; network: NetworkFileInput } | { ok: false; errors: SiteError[] } {
  const errors: SiteError[] = []
  const currency = opts.currency.toUpperCase()
  if (!/^[A-Z]{3}$/.test(currency)) errors.push({ path: '--currency', message: `"${opts.currency}" is not an ISO 4217 code (three letters, e.g. GBP)` })
  let rows
  try {
    rows = parseCsv(csv)
  } catch (e) {
    return { ok: false, errors: [{ path: 'sites', message: (e as Error).message }] }
  }
  if (!rows.length) errors.push({ path: 'sites', message: 'no sites: the CSV needs a header id,kind,lat,lon,capabilities and one row per site' })
  const fx = CNY_PER_UNIT[currency]
  const factor = fx ? 1 / fx : 1
  const t = scaleMoney(opts.template, factor)
  const handling = scaleMoney({ receive: 4, inspect: 12 }, factor)
  const nodes = rows.map((r, i) => {
    const f = r.fields
    const caps = (f.capabilities ?? '').split(';').map((c) => c.trim()).filter(Boolean)
    const kind = (f.kind ?? '').trim()
    return {
      id: (f.id ?? '').trim(), name: (f.name ?? f.id ?? '').trim() || `site ${i + 1}`, kind,
      lat: Number(f.lat), lon: Number(f.lon), capabilities: caps,
      // The first warehouse is central (the baseline ships everything there) unless a column says.
      central: f.central !== undefined ? /^(1|true|yes)$/i.test(f.central.trim()) : false,
      inspectionsPerDay: caps.includes('inspect') ? 1000 : 0,
      repairBenchHoursPerDay: caps.includes('repair') ? 16 : 0,
      handling,
    }
  })
  if (!nodes.some((n) => n.central)) {
    const first = nodes.findIndex((n) => n.kind === 'warehouse')
    if (first >= 0) nodes[first].central = true
  }
  const categories = { uncategorised: t.categories.home ?? Object.values(t.categories)[0] }
  const network: NetworkFileInput = {
    _notes: [
      `Money in ${currency}. Built by npm run network -- init from a CSV of sites; modes, channels, rules and the category defaults are the demo network's model${fx ? `, its money converted at 1 ${currency} = ${fx} CNY` : ' (unknown currency: money not converted)'}. Edit them to your tariffs (docs/getting-started.md).`,
    ],
    version: opts.name ?? `${currency.toLowerCase()}-${new Date().toISOString().slice(0, 10)}`,
    currency,
    // Unchecked strings from the CSV: checkNetwork below names every bad one with its line.
    nodes: nodes as NetworkFileInput["nodes"],
    inboundModes: t.inboundModes,
    outbound: t.outbound,
    swapAtDoor: t.swapAtDoor,
    channels: t.channels,
    repair: { labourRatePerHour: t.repair.labourRatePerHour, productTypes: {} },
    vendors: [],
    policy: t.policy,
    rules: { ...t.rules, timezoneOffsetHours: Math.round((nodes[0]?.lon ?? 0) / 15), unknownSkuCategory: 'uncategorised', skuPrefixCategories: {} },
    categories,
    catalog: [],
  }
  const checked = checkNetwork(network)
  if (!checked.ok) errors.push(...checked.errors.map((e) => ({ ...e, path: sitePath(e.path, rows.length) })))
  return errors.length ? { ok: false, errors } : { ok: true, network }
}

/** nodes.3.lat → sites.csv line 5 (nodes.3.lat): the row the merchant must fix. */
function sitePath(path: string, count: number): string {
  const m = /^nodes\.(\d+)(\..*)?$/.exec(path)
  if (!m || Number(m[1]) >= count) return path
  return `sites line ${Number(m[1]) + 2} (${path})`
}

/** Every error of a network document, each with its path and a sentence saying why. */
export function checkNetwork(json: unknown): { ok: true } | { ok: false; errors: SiteError[] } {
  const r = loadNetwork(json)
  if (r.ok) return { ok: true }
  return { ok: false, errors: r.errors.map((e) => ({ path: e.path || '(document)', message: e.message })) }
}
