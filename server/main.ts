// Process entry: config → runtime → listen → banner; SIGTERM/SIGINT drain and exit.
import { ConfigError, loadConfig } from './config.js'
import { createRuntime } from './runtime.js'

// Files this process creates (the store's parts, keys.json) are for its owner only.
// Set before anything opens the store: chDB creates its files with the process umask.
process.umask(0o077)

async function main() {
  let config
  try {
    config = loadConfig()
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`revnav: ${error.message}`)
      process.exit(2)
    }
    throw error
  }
  const runtime = await createRuntime(config)
  await runtime.app.listen({ port: config.PORT, host: config.HOST })
  const address = runtime.app.server.address()
  const port = typeof address === 'object' && address ? address.port : config.PORT
  const base = config.PUBLIC_URL ?? `http://localhost:${port}`
  // Keys are secrets: printed once, when they were generated (the operator has nowhere
  // else to learn them); never on later starts and never keys the operator gave in
  // API_KEYS. The ready URL carries the key in the fragment, which browsers do not send.
  const admin = runtime.keys.find((k) => k.role === 'admin') ?? runtime.keys[0]
  const lines = [
    '',
    `  revnav is running — store: ${runtime.ctx.store.kind}${runtime.ctx.store.kind === 'embedded' ? ` (${config.DATA_DIR})` : ''}`,
    runtime.keysGenerated ? `  Dashboard: ${base}/#key=${encodeURIComponent(admin.key)}` : `  Dashboard: ${base}/`,
    ...(runtime.keysGenerated
      ? ['  API keys (generated now and shown only this once; kept in DATA_DIR/keys.json):', ...runtime.keys.map((k) => `    ${k.role.padEnd(8)} ${k.key}`)]
      : [config.API_KEYS ? '  API keys: as given in API_KEYS' : '  API keys: in DATA_DIR/keys.json']),
    runtime.ctx.demo.active ? '  Demo stream: on (empty store; DEMO=0 turns it off)' : '',
    '',
  ]
  console.log(lines.filter((l) => l !== undefined).join('\n'))

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
    runtime.app.log.info({ signal }, 'draining and shutting down')
    // A drain that cannot finish (a store that stopped answering) must not keep the
    // process alive forever; what was not acknowledged is the producers' to resend.
    setTimeout(() => {
      console.error('shutdown did not finish within 60 s; exiting')
      process.exit(1)
    }, 60_000).unref()
    try {
      await runtime.close()
      process.exit(0)
    } catch (error) {
      console.error('shutdown failed', error)
      process.exit(1)
    }
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
}

main().catch((error) => {
  console.error('revnav failed to start:', error)
  process.exit(1)
})
