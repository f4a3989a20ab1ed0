// The period every analytic view shows: a preset (7/30/90 days, this year, all time) or a
// custom range of UTC days, kept in the URL query (?range=90d, or ?from=…&to=…) so a view
// can be shared and the back button restores it. Pure functions; the control and the
// views read and write the query through them.

export const PRESETS = ['7d', '30d', '90d', 'year', 'all'] as const
export type Preset = (typeof PRESETS)[number]
export const DEFAULT_PRESET: Preset = '30d'

export type Period = { preset: Preset } | { preset: 'custom'; from: string; to: string }

const DAY = /^\d{4}-\d{2}-\d{2}$/
const DAY_MS = 86_400_000

/** 'YYYY-MM-DD' of a UTC day (the API's days are UTC days). */
export const dayOf = (d: Date) => d.toISOString().slice(0, 10)

/** A real calendar day written YYYY-MM-DD (not 2024-02-30). */
export function isDay(v: unknown): v is string {
  return typeof v === 'string' && DAY.test(v) && dayOf(new Date(`${v}T00:00:00Z`)) === v
}

const one = (v: unknown) => (Array.isArray(v) ? v[0] : v)

/** The period a route query asks for; anything unreadable falls back to the default preset. */
export function periodFromQuery(query: Record<string, unknown>, fallback: Preset = DEFAULT_PRESET): Period {
  // ?window= is what the SKU list wrote before the control existed: old links keep working.
  const from = one(query.from), to = one(query.to), range = one(query.range) ?? one(query.window)
  if (isDay(from) && isDay(to) && from <= to) return { preset: 'custom', from, to }
  if (typeof range === 'string' && (PRESETS as readonly string[]).includes(range)) return { preset: range as Preset }
  return { preset: fallback }
}

/**
 * `query` with the period written in (and any older period removed); the view's default
 * preset is left out so the plain URL stays plain.
 */
export function withPeriod(query: Record<string, unknown>, period: Period, fallback: Preset = DEFAULT_PRESET): Record<string, string> {
  const next: Record<string, string> = {}
  for (const [k, v] of Object.entries(query)) {
    const s = one(v)
    if (k !== 'range' && k !== 'from' && k !== 'to' && k !== 'window' && typeof s === 'string') next[k] = s
  }
  if (period.preset === 'custom') { next.from = period.from; next.to = period.to }
  else if (period.preset !== fallback) next.range = period.preset
  return next
}

/**
 * The API's query for a period: rolling windows and all time by name (the server knows
 * where the data starts), this year and custom ranges as from/to.
 */
export function apiPeriod(period: Period, today: Date): { window?: string; from?: string; to?: string } {
  if (period.preset === 'custom') return { from: period.from, to: period.to }
  if (period.preset === 'year') return { from: `${today.getUTCFullYear()}-01-01`, to: dayOf(today) }
  return { window: period.preset }
}

/** The days a preset covers ending today (null for all time, which starts at the data). */
export function presetDays(preset: Preset, today: Date): { from: string; to: string } | null {
  const to = dayOf(today)
  if (preset === 'all') return null
  if (preset === 'year') return { from: `${today.getUTCFullYear()}-01-01`, to }
  const n = Number(preset.slice(0, -1))
  return { from: dayOf(new Date(Date.parse(`${to}T00:00:00Z`) - (n - 1) * DAY_MS)), to }
}

/** Why a custom range cannot be used (a message key), or null when it can. */
export function customRangeError(from: string, to: string): 'range.errorDay' | 'range.errorOrder' | null {
  if (!isDay(from) || !isDay(to)) return 'range.errorDay'
  if (from > to) return 'range.errorOrder'
  return null
}
