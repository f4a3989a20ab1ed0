// Cost, time and CO2 of one leg: cost = base + perKg·weight + perKm·distance;
// time = fixed waits + distance / speed; CO2 = distance·weight·factor + a per-stop term.
import type { InboundModeSpec, OutboundSpec } from './network.js'

export function inboundLegCost(mode: InboundModeSpec, weightKg: number, km: number): number {
  return mode.base + mode.perKg * weightKg + mode.perKm * km
}

/** Hours from the decision until the parcel reaches the node. */
export function inboundArrivalHours(mode: InboundModeSpec, km: number): number {
  return mode.handoverHours + mode.sortHours + km / mode.speedKmh
}

export function inboundCo2Kg(mode: InboundModeSpec, weightKg: number, km: number): number {
  return km * weightKg * mode.co2PerKgKm + mode.co2PerStopKg
}

export function outboundLegCost(out: OutboundSpec, weightKg: number, km: number): number {
  return out.base + out.perKg * weightKg + out.perKm * km
}

/** Hours from leaving the node's dock until delivered to the customer. */
export function outboundTransitHours(out: OutboundSpec, km: number): number {
  return out.sortHours + km / out.speedKmh
}

export function outboundCo2Kg(out: OutboundSpec, weightKg: number, km: number): number {
  return km * weightKg * out.co2PerKgKm + out.co2PerStopKg
}
