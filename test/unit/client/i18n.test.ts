import { describe, expect, it } from 'vitest'
import { en } from '../../../client/src/i18n/en'
import { zh } from '../../../client/src/i18n/zh'
import { detectLocale, humanize, translate } from '../../../client/src/i18n'
import { formatHours, formatMoney, formatPercent } from '../../../client/src/i18n/format'
import { RESOLUTIONS, INBOUND_MODES, DISPOSITIONS, RETURN_REASONS, RETURN_STATUSES, TASK_ROLES, CATEGORIES } from '../../../server/contracts'

describe('i18n dictionaries', () => {
  it('zh has every en key and no extra ones', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort())
  })
  it('no message is empty', () => {
    for (const [k, v] of [...Object.entries(en), ...Object.entries(zh)]) expect(v.trim(), k).not.toBe('')
  })
  it('both languages use the same {placeholders} per key', () => {
    const names = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()
    for (const k of Object.keys(en) as (keyof typeof en)[]) expect(names(zh[k]), k).toEqual(names(en[k]))
  })
  it.each([
    ['resolution', RESOLUTIONS], ['mode', INBOUND_MODES], ['disposition', DISPOSITIONS], ['reason', RETURN_REASONS],
    ['status', RETURN_STATUSES], ['trackStatus', RETURN_STATUSES], ['role', TASK_ROLES], ['category', CATEGORIES],
  ] as const)('labels every %s of the contracts', (prefix, values) => {
    for (const v of values) expect(`${prefix}.${v}` in en, `${prefix}.${v}`).toBe(true)
  })
})

describe('translate and locale', () => {
  it('interpolates parameters and leaves unknown ones', () => {
    expect(translate('en', 'common.version', { n: 7 })).toBe('v7')
    expect(translate('zh', 'routing.changed', { changed: 3, lines: 10 })).toBe('10 条退货明细中有 3 条的路径会改变')
    expect(translate('en', 'common.version')).toBe('v{n}')
  })
  it.each([
    [null, 'zh-CN', 'zh'], [null, 'en-US', 'en'], ['en', 'zh-TW', 'en'], ['zh', 'en', 'zh'], [null, undefined, 'en'], ['fr', 'zh', 'zh'],
  ] as const)('stored %s + browser %s → %s', (stored, browser, expected) => {
    expect(detectLocale(stored, browser)).toBe(expected)
  })
  it('humanizes unknown enum values', () => {
    expect(humanize('damaged_in_transit')).toBe('Damaged in transit')
  })
  it('formats money in CNY, percent and hours per locale, dash for missing', () => {
    expect(formatMoney('en', 12.5)).toBe('¥12.50')
    expect(formatMoney('zh', 12.5)).toBe('¥12.50')
    expect(formatPercent('en', 0.123)).toBe('12.3%')
    expect(formatHours('en', 50)).toMatch(/2\.1\s?days?/)
    expect(formatMoney('en', undefined)).toBe('—')
    expect(formatPercent('zh', Number.NaN)).toBe('—')
  })
})
