// Locale-aware formatting through Intl. Pure functions of (locale, value), cached per
// locale because Intl constructors are comparatively expensive and tables call them a lot.
export type Locale = 'zh' | 'en'

const intlTag: Record<Locale, string> = { zh: 'zh-CN', en: 'en-US' }
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>()

function numberFormat(locale: Locale, key: string, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
  const k = `${locale}|n|${key}`
  let f = cache.get(k) as Intl.NumberFormat | undefined
  if (!f) cache.set(k, (f = new Intl.NumberFormat(intlTag[locale], opts)))
  return f
}
function dateFormat(locale: Locale, key: string, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const k = `${locale}|d|${key}`
  let f = cache.get(k) as Intl.DateTimeFormat | undefined
  if (!f) cache.set(k, (f = new Intl.DateTimeFormat(intlTag[locale], opts)))
  return f
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)
const DASH = '—'

export function formatNumber(locale: Locale, v: unknown, digits = 0): string {
  return isNum(v) ? numberFormat(locale, `num${digits}`, { maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(v) : DASH
}
/** Money in the network's currency (ISO 4217, from GET /api/v1/network): £1,234.50, ¥1,234.50, €… */
export function formatMoney(locale: Locale, v: unknown, digits = 2, currency = 'CNY'): string {
  return isNum(v)
    ? numberFormat(locale, `cur${currency}${digits}`, { style: 'currency', currency, currencyDisplay: 'narrowSymbol', maximumFractionDigits: digits, minimumFractionDigits: digits }).format(v)
    : DASH
}
/** The currency's symbol as the locale writes it ("£", "¥", "€"), for labels like "Wait (£ per hour)". */
export function currencySymbol(locale: Locale, currency = 'CNY'): string {
  const parts = numberFormat(locale, `cur${currency}0`, { style: 'currency', currency, currencyDisplay: 'narrowSymbol', maximumFractionDigits: 0, minimumFractionDigits: 0 }).formatToParts(0)
  return parts.find((p) => p.type === 'currency')?.value ?? currency
}
/** v is a ratio (0.123 → 12.3 %). */
export function formatPercent(locale: Locale, v: unknown, digits = 1): string {
  return isNum(v) ? numberFormat(locale, `pct${digits}`, { style: 'percent', maximumFractionDigits: digits, minimumFractionDigits: 0 }).format(v) : DASH
}
export function formatHours(locale: Locale, v: unknown): string {
  if (!isNum(v)) return DASH
  // Past two days people think in days, not hours.
  if (Math.abs(v) >= 48) return numberFormat(locale, 'days', { style: 'unit', unit: 'day', unitDisplay: 'short', maximumFractionDigits: 1 }).format(v / 24)
  return numberFormat(locale, 'hours', { style: 'unit', unit: 'hour', unitDisplay: 'short', maximumFractionDigits: 1 }).format(v)
}
/** Hours shown as whole or fractional days ("2 days", "2天"), for day-scale axes. */
export function formatDays(locale: Locale, hours: unknown): string {
  if (!isNum(hours)) return DASH
  return numberFormat(locale, 'days', { style: 'unit', unit: 'day', unitDisplay: 'short', maximumFractionDigits: 1 }).format(hours / 24)
}
export function formatKg(locale: Locale, v: unknown): string {
  return isNum(v) ? numberFormat(locale, 'kg', { style: 'unit', unit: 'kilogram', unitDisplay: 'short', maximumFractionDigits: 2 }).format(v) : DASH
}
function toDate(v: unknown): Date | null {
  if (typeof v !== 'string' && typeof v !== 'number' && !(v instanceof Date)) return null
  const d = new Date(v)
  return Number.isNaN(d.getTime()) ? null : d
}
export function formatDateTime(locale: Locale, v: unknown): string {
  const d = toDate(v)
  return d ? dateFormat(locale, 'dt', { dateStyle: 'medium', timeStyle: 'short' }).format(d) : DASH
}
export function formatDate(locale: Locale, v: unknown): string {
  const d = toDate(v)
  return d ? dateFormat(locale, 'd', { dateStyle: 'medium' }).format(d) : DASH
}
export function formatTime(locale: Locale, v: unknown): string {
  const d = toDate(v)
  return d ? dateFormat(locale, 't', { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(d) : DASH
}
