// What-if preview of a weights change (POST /api/v1/weights/preview): the recent return
// requests re-decided under the weights in force and under the candidate, and the deltas.
import { z } from 'zod'
import { PathFields } from './decision.js'

export const PreviewSide = z.object({
  lines: z.number().int(),
  totalNetCost: z.number(),
  meanNetCost: z.number(),
  meanWaitHours: z.number(),
  medianWaitHours: z.number(),
  totalCo2Kg: z.number(),
  totalScore: z.number(),
  resolutionMix: z.record(z.string(), z.number()),
  dispositionMix: z.record(z.string(), z.number()),
  inboundModeMix: z.record(z.string(), z.number()),
})
export type PreviewSide = z.infer<typeof PreviewSide>

export const PreviewLineOutcome = PathFields.extend({
  netCost: z.number(),
  waitHours: z.number(),
  co2Kg: z.number(),
})

export const PreviewResult = z.object({
  requests: z.number().int(),
  lines: z.number().int(),
  /** Lines whose path differs between the two weight sets. */
  changed: z.number().int(),
  currentVersion: z.number().int(),
  before: PreviewSide,
  after: PreviewSide,
  delta: z.object({
    totalNetCost: z.number(),
    perReturnNetCost: z.number(),
    meanWaitHours: z.number(),
    medianWaitHours: z.number(),
    totalCo2Kg: z.number(),
  }),
  /** Up to 20 changed lines, before and after. */
  sample: z.array(z.object({
    rmaId: z.string(),
    lineIndex: z.number().int(),
    sku: z.string(),
    before: PreviewLineOutcome,
    after: PreviewLineOutcome,
  })).max(20),
  /** Added by the server: time to load the requests and to re-decide them. */
  timings: z.object({ loadMs: z.number(), decideMs: z.number() }).optional(),
})
export type PreviewResult = z.infer<typeof PreviewResult>
