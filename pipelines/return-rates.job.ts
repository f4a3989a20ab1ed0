// Return rates per SKU (and, by summing, per category) over rolling 7/30/90-day and
// all-time windows. The minimum-volume rule is applied by readers (API, anomalies) so
// the threshold can differ per question without recomputing. Also the per-category daily
// units the SKU detail's trend compares a SKU with (category_daily, 0024).
import type { PipelineJob } from './job.js'
import { refreshSnapshot } from './snapshot.js'

export const returnRatesJob: PipelineJob = {
  name: 'return-rates',
  schedule: '0 */2 * * * *',
  feedsKpis: true,
  async run({ client, asOf }) {
    const rates = await refreshSnapshot(client, 'sku_return_rates', 'return-rates-refresh', asOf)
    const categories = await refreshSnapshot(client, 'category_daily', 'category-daily-refresh', asOf)
    return { rows: rates + categories }
  },
}
