// A tiny typed i18n: one reactive locale, two dictionaries, {name} interpolation.
import { ref, watch } from 'vue'
import { en, type MessageKey } from './en'
import { zh } from './zh'
import * as f from './format'
import type { Locale } from './format'

export type { Locale, MessageKey }
export const dictionaries: Record<Locale, Record<MessageKey, string>> = { en, zh }
const STORAGE_KEY = 'revnav.locale'

export function detectLocale(stored: string | null | undefined, browserLanguage: string | undefined): Locale {
  if (stored === 'zh' || stored === 'en') return stored
  return browserLanguage?.toLowerCase().startsWith('zh') ? 'zh' : 'en'
}

export function translate(locale: Locale, key: MessageKey, params?: Record<string, string | number>): string {
  const template = dictionaries[locale][key] ?? dictionaries.en[key] ?? key
  if (!params) return template
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m))
}

/** "damaged_in_transit" → "Damaged in transit": a readable fallback for values the dictionary does not know yet. */
export function humanize(value: string): string {
  const s = value.replace(/[_-]+/g, ' ').trim()
  return s.charAt(0).toUpperCase() + s.slice(1)
}

function readStoredLocale(): string | null {
  try { return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null } catch { return null }
}

/** The network's currency (ISO 4217); set from GET /api/v1/network once signed in. */
export const currency = ref('CNY')

export const locale = ref<Locale>(detectLocale(readStoredLocale(), globalThis.navigator?.language))

watch(locale, (l) => {
  try { globalThis.localStorage?.setItem(STORAGE_KEY, l) } catch { /* private mode: keep in memory */ }
  if (globalThis.document) document.documentElement.lang = l === 'zh' ? 'zh-CN' : 'en'
}, { immediate: true })

export function useI18n() {
  // {currency} in any message is the network currency's symbol.
  const t = (key: MessageKey, params?: Record<string, string | number>) =>
    translate(locale.value, key, { currency: f.currencySymbol(locale.value, currency.value), ...params })
  /** Label of an enum value (`tx('reason', 'defective')`), falling back to a humanized value. */
  const tx = (prefix: string, value: string | null | undefined): string => {
    if (value == null || value === '') return '—'
    const key = `${prefix}.${value}` as MessageKey
    return key in en ? t(key) : humanize(value)
  }
  const l = () => locale.value
  return {
    locale,
    t,
    tx,
    setLocale: (next: Locale) => { locale.value = next },
    num: (v: unknown, digits?: number) => f.formatNumber(l(), v, digits),
    money: (v: unknown, digits?: number) => f.formatMoney(l(), v, digits, currency.value),
    currency,
    pct: (v: unknown, digits?: number) => f.formatPercent(l(), v, digits),
    hours: (v: unknown) => f.formatHours(l(), v),
    days: (v: unknown) => f.formatDays(l(), v),
    kg: (v: unknown) => f.formatKg(l(), v),
    dateTime: (v: unknown) => f.formatDateTime(l(), v),
    date: (v: unknown) => f.formatDate(l(), v),
    time: (v: unknown) => f.formatTime(l(), v),
  }
}

export function hasMessage(key: string): boolean {
  return key in en
}
