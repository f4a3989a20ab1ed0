// The ingest answer built in slices is the same text JSON.stringify gives.
import { describe, expect, it } from 'vitest'
import { outcomeJson } from '../../server/http/outcome-json.js'
import { CpuSlicer } from '../../server/ingest/cpu-slices.js'
import type { IngestOutcome } from '../../server/ingest/ingest.js'

describe('outcomeJson', () => {
  it('equals JSON.stringify of the outcome, yielding on the way', async () => {
    const results: IngestOutcome['results'] = Array.from({ length: 3_000 }, (_, i) => i % 3 === 0
      ? { index: i, eventId: `e-${i}`, status: 'rejected', errors: [{ path: 'lines.0.sku', message: `bad "sku" \u2028 ${i}` }] }
      : { index: i, eventId: `e-${i}`, status: 'accepted', decisions: [{ decisionId: `d${i}`, lineIndex: 0, trackingToken: 't', resolution: 'refund', inboundMode: 'courier_pickup', receivingNodeId: null, exchangeSourceNodeId: null, disposition: 'restock' }] })
    const outcome: IngestOutcome = { accepted: 2_000, duplicates: 0, rejected: 1_000, results }
    // A budget of 0 yields at every result.
    expect(await outcomeJson(outcome, new CpuSlicer(0))).toBe(JSON.stringify(outcome))
    expect(await outcomeJson({ accepted: 0, duplicates: 0, rejected: 0, results: [] }, new CpuSlicer(0))).toBe('{"accepted":0,"duplicates":0,"rejected":0,"results":[]}')
  })
})
