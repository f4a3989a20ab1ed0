import { describe, expect, it } from 'vitest'
import { apiPeriod, customRangeError, isDay, periodFromQuery, presetDays, withPeriod } from '../../../client/src/date-range'

const today = new Date('2026-03-15T18:30:00Z')

describe('date-range presets', () => {
  it('gives the days a preset covers, ending today (UTC), inclusive', () => {
    expect(presetDays('7d', today)).toEqual({ from: '2026-03-09', to: '2026-03-15' })
    expect(presetDays('30d', today)).toEqual({ from: '2026-02-14', to: '2026-03-15' })
    expect(presetDays('90d', today)).toEqual({ from: '2025-12-16', to: '2026-03-15' })
    expect(presetDays('year', today)).toEqual({ from: '2026-01-01', to: '2026-03-15' })
    expect(presetDays('all', today)).toBeNull()
  })

  it('crosses a leap day and a year end', () => {
    expect(presetDays('7d', new Date('2024-03-02T00:00:00Z'))).toEqual({ from: '2024-02-25', to: '2024-03-02' })
    expect(presetDays('30d', new Date('2026-01-10T23:59:59Z'))).toEqual({ from: '2025-12-12', to: '2026-01-10' })
  })

  it('asks the API for rolling windows and all time by name, this year and custom ranges by days', () => {
    expect(apiPeriod({ preset: '90d' }, today)).toEqual({ window: '90d' })
    expect(apiPeriod({ preset: 'all' }, today)).toEqual({ window: 'all' })
    expect(apiPeriod({ preset: 'year' }, today)).toEqual({ from: '2026-01-01', to: '2026-03-15' })
    expect(apiPeriod({ preset: 'custom', from: '2011-01-01', to: '2011-12-31' }, today)).toEqual({ from: '2011-01-01', to: '2011-12-31' })
  })
})

describe('the period in the URL', () => {
  it('reads a preset, a custom range, and the old ?window= of the SKU list', () => {
    expect(periodFromQuery({ range: '7d' })).toEqual({ preset: '7d' })
    expect(periodFromQuery({ from: '2011-01-01', to: '2011-12-31', range: '7d' })).toEqual({ preset: 'custom', from: '2011-01-01', to: '2011-12-31' })
    expect(periodFromQuery({ window: 'all' })).toEqual({ preset: 'all' })
  })

  it('falls back to the default for anything it cannot use', () => {
    expect(periodFromQuery({})).toEqual({ preset: '30d' })
    expect(periodFromQuery({ range: '14d' })).toEqual({ preset: '30d' })
    expect(periodFromQuery({ from: '2011-12-31', to: '2011-01-01' })).toEqual({ preset: '30d' })
    expect(periodFromQuery({ from: '2011-02-30', to: '2011-03-01' })).toEqual({ preset: '30d' })
    expect(periodFromQuery({ from: '2011-01-01' }, 'all')).toEqual({ preset: 'all' })
  })

  it('writes the period into a query, keeping the other keys and leaving the default out', () => {
    expect(withPeriod({ sort: 'unitsSold', window: '90d', from: 'x' }, { preset: '7d' })).toEqual({ sort: 'unitsSold', range: '7d' })
    expect(withPeriod({ sort: 'unitsSold', range: '7d' }, { preset: '30d' })).toEqual({ sort: 'unitsSold' })
    expect(withPeriod({ range: '7d' }, { preset: 'custom', from: '2011-01-01', to: '2011-12-31' })).toEqual({ from: '2011-01-01', to: '2011-12-31' })
    expect(withPeriod({}, { preset: '30d' }, 'all')).toEqual({ range: '30d' })
  })

  it('round-trips every period through the query', () => {
    for (const p of [{ preset: '7d' }, { preset: '30d' }, { preset: '90d' }, { preset: 'year' }, { preset: 'all' }, { preset: 'custom', from: '2020-02-29', to: '2020-03-01' }] as const) {
      expect(periodFromQuery(withPeriod({}, p))).toEqual(p)
    }
  })

  it('checks a custom range before it is applied', () => {
    expect(customRangeError('2011-01-01', '2011-12-31')).toBeNull()
    expect(customRangeError('2011-01-01', '2011-01-01')).toBeNull()
    expect(customRangeError('2011-12-31', '2011-01-01')).toBe('range.errorOrder')
    expect(customRangeError('', '2011-01-01')).toBe('range.errorDay')
    expect(isDay('2023-02-29')).toBe(false)
    expect(isDay('2024-02-29')).toBe(true)
  })
})
