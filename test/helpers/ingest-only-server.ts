// The foundation alone: the runtime with issue 2's placeholder router (events are
// stored, no decision is made), started like server/main.ts. The ingest benchmark runs
// it beside the full server to tell the ingest layer's cost from the navigator's.
import { loadConfig } from '../../server/config.js'
import { createRuntime } from '../../server/runtime.js'

const config = loadConfig()
const runtime = await createRuntime(config)
await runtime.app.listen({ port: config.PORT, host: config.HOST })
const address = runtime.app.server.address()
const port = typeof address === 'object' && address ? address.port : config.PORT
console.log(`  Dashboard: http://localhost:${port}/`)
process.on('SIGTERM', () => void runtime.close().then(() => process.exit(0), () => process.exit(1)))
