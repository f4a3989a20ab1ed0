// Types shared with the server: imported as types only, so no server code reaches the bundle.
export type {
  Decision, Alternative, DecisionTotals, BaselineOutcome, Task, Weights, Policy, WeightsVersion,
  Resolution, InboundMode, Disposition, ReturnReason,
} from '../../server/contracts'
