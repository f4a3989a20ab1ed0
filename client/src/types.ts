// Types shared with the server: imported as types only, so no server code reaches the bundle.
export type {
  Decision, Alternative, DecisionTotals, BaselineOutcome, Task, Weights, Policy, WeightsVersion,
  Resolution, InboundMode, Disposition, ReturnReason,
} from '../../server/contracts'

/** A bid-prices solve and its capacity-efficiency KPI (docs/api.md, GET /api/v1/capacity). */
export interface CapacitySolve {
  solvedAt: string; columns: number; rows: number; solveMs: number; solveCpuMs: number | null; prices: number; lines: number
  bound: number; realised: number; efficiency: number | null; gapPerLine: number | null
  wishesLost: number | null; hindsightWishesLost: number | null
  /** The same lines first come first served, without prices (null on solves before it was measured). */
  greedyEfficiency: number | null; savedVsGreedyPerLine: number | null; greedyWishesLost: number | null
}
