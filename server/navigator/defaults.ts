// Default weights (λ's) and policy thresholds. Every λ is "money per unit of the factor",
// so the weights stay comparable and a decision's explanation reads in yuan.
import type { Policy, Weights, WeightsVersion } from '../contracts/weights.js'

export const DEFAULT_WEIGHTS: Weights = Object.freeze({
  // Money counts as money: the score's unit is the network currency (CNY).
  cost: 1,
  // ¥1 per hour of customer wait (≈ ¥24/day). Assumption: 53 % of customers would not
  // buy again after a slow refund (DECISION-MODEL.md); with ~¥600 yearly gross margin per
  // active customer and ~4 % extra churn per day of waiting, a day costs ≈ ¥24.
  wait: 1,
  // Carbon price 0.19 USD/kg (DECISION-MODEL.md CO2 row) × 7.1 CNY/USD ≈ ¥1.35/kg.
  co2: 1.35,
  // ¥80 when the resolution is not what the customer asked for. Assumption: ~5 % extra
  // churn on an unwanted resolution × ~¥1,600 customer lifetime margin.
  cx: 80,
  // Fraud/loss probability × exposed money is an expected loss: it counts at face value.
  risk: 1,
})

export const DEFAULT_POLICY: Policy = Object.freeze({
  // China's Consumer Rights Protection Law art. 25: 7-day no-reason return for online
  // purchases. Merchant-fault returns (defective, wrong item…) are never refused for age.
  returnWindowDays: 7,
  // Returnless refund below ¥60: under that value inbound logistics + inspection +
  // repack (≈ ¥30–40) eat most of what the item recovers.
  keepItMaxValue: 60,
  // …and only when the claim's fraud probability is at most 5 %.
  keepItMaxRisk: 0.05,
  // Share of store credit never spent (10–20 % assumption in DECISION-MODEL.md).
  storeCreditBreakage: 0.15,
  // Repair while repair cost < 50 % of the replacement value (DECISION-MODEL.md).
  repairMaxShareOfValue: 0.5,
  // Instant refund on the first scan only for trusted customers; others after inspection.
  instantRefundTrustedOnly: true,
  nonReturnableCategories: [],
  // Statutory rights bind every decision (docs/rights.md): China's by default.
  jurisdiction: { code: 'cn' },
  // Offers instead of overrides (docs/rights.md), assumptions: a quarter of the saving to
  // the customer, 30 % acceptance over 20 pseudo-answers until answers come in, 48 h to answer;
  // an offer whose expected value has dropped to ≤ 0 is still made on 1 line in 10, so
  // that its acceptance rate keeps being learned.
  offerIncentiveShare: 0.25,
  offerAcceptancePrior: 0.3,
  offerPriorStrength: 20,
  offerExpiryHours: 48,
  offerExplorationShare: 0.1,
  // Offers also to customers entitled to their wish: the line is still decided as asked,
  // and the merchant's alternatives (rules.offerable) are only offered (docs/rights.md).
  offersToEntitled: true,
}) as Policy

/** Version 0: what the navigator uses until the first audited version exists. */
export const DEFAULT_WEIGHTS_VERSION: WeightsVersion = Object.freeze({
  version: 0,
  author: 'system',
  createdAt: '1970-01-01T00:00:00.000Z',
  comment: 'built-in defaults (server/navigator/defaults.ts)',
  weights: DEFAULT_WEIGHTS,
  policy: DEFAULT_POLICY,
})
