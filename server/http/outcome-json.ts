// The answer to an ingest request as JSON text, built a result at a time between yields:
// 10,000 results with their decisions are megabytes of JSON, which Fastify would
// serialise in one go on the event loop. The text is what JSON.stringify(outcome) gives.
import type { CpuSlicer } from '../ingest/cpu-slices.js'
import type { IngestOutcome } from '../ingest/ingest.js'

export async function outcomeJson(outcome: IngestOutcome, slicer: CpuSlicer): Promise<string> {
  const results: string[] = new Array(outcome.results.length)
  for (let i = 0; i < outcome.results.length; i++) {
    if (slicer.due()) await slicer.yieldNow()
    results[i] = JSON.stringify(outcome.results[i])
  }
  return `{"accepted":${outcome.accepted},"duplicates":${outcome.duplicates},"rejected":${outcome.rejected},"results":[${results.join(',')}]}`
}
