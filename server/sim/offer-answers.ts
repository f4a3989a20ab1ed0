// Simulated customers answering the offers a decision makes (docs/rights.md "Offers").
// No merchant data on how often customers take such offers is at hand, so the rate per
// offer type (`<wish>:<resolution>`) is an assumption: by default the same 30 % the
// navigator assumes before it has seen answers (OFFER_DEFAULTS.acceptancePrior), for every
// type. A customer takes at most one offer: they read the offers in the order given (best
// expected value first) and take the first one they accept; the ones before it are
// declined, the ones after it are not answered. Seeded per offer id: the same stream and
// seed give the same answers.
import type { Offer } from '../contracts/decision.js'
import { OFFER_DEFAULTS } from '../navigator/offers.js'
import { hashSeed, mulberry32 } from './random.js'

export interface OfferAnswer { offerId: string; accepted: boolean }

export interface AnswerModel {
  /** Assumed acceptance per offer type (`wish:resolution`); types not listed take `otherwise`. */
  rates: Readonly<Record<string, number>>
  otherwise: number
  seed: number
}

export const ASSUMED_ANSWERS: AnswerModel = { rates: {}, otherwise: OFFER_DEFAULTS.acceptancePrior, seed: 1 }

/** The type an offer belongs to: the wish and the resolution offered instead. */
export function offerType(wish: string | null | undefined, offer: Pick<Offer, 'resolution'>): string {
  return `${wish ?? 'none'}:${offer.resolution}`
}

/** The customer's answers to one decision's offers, in the order to send them. */
export function answerOffers(wish: string | null | undefined, offers: readonly Offer[], model: AnswerModel = ASSUMED_ANSWERS): OfferAnswer[] {
  const out: OfferAnswer[] = []
  for (const offer of offers) {
    const rate = model.rates[offerType(wish, offer)] ?? model.otherwise
    const accepted = mulberry32(hashSeed(model.seed, offer.offerId))() < rate
    out.push({ offerId: offer.offerId, accepted })
    if (accepted) break
  }
  return out
}
