// Money is shown in the network's currency (issue 16): £ for a UK shop, ¥ for the demo.
import { describe, expect, it } from 'vitest'
import { currency, translate, useI18n, locale } from '../../../client/src/i18n'
import { currencySymbol, formatMoney } from '../../../client/src/i18n/format'

describe('money in the network currency', () => {
  it.each([
    ['en', 'GBP', 1234.5, 2, '£1,234.50'],
    ['zh', 'GBP', 1234.5, 2, '£1,234.50'],
    ['en', 'CNY', 1234.5, 0, '¥1,235'],
    ['en', 'EUR', -3.456, 2, '-€3.46'],
    ['en', 'USD', 0, 2, '$0.00'],
  ] as const)('%s %s %d (%d digits) → %s', (loc, cur, v, digits, expected) => {
    expect(formatMoney(loc, v, digits, cur)).toBe(expected)
  })

  it('shows a dash for a missing amount, whatever the currency', () => {
    expect(formatMoney('en', undefined, 2, 'GBP')).toBe('—')
    expect(formatMoney('en', Number.NaN, 2, 'GBP')).toBe('—')
  })

  it('names the symbol in labels, following the network', () => {
    expect(currencySymbol('en', 'GBP')).toBe('£')
    expect(currencySymbol('zh', 'CNY')).toBe('¥')
    locale.value = 'en'
    currency.value = 'GBP'
    const { t, money } = useI18n()
    expect(t('weight.wait')).toBe('Wait (£ per hour)')
    expect(money(12.5)).toBe('£12.50')
    currency.value = 'CNY'
    expect(t('policy.keepItMaxValue')).toBe('Keep-it max value (¥)')
    expect(money(12.5)).toBe('¥12.50')
    // Without the hook the placeholder stays visible rather than a wrong symbol.
    expect(translate('en', 'weight.cx')).toBe('Customer wish ({currency})')
  })
})
