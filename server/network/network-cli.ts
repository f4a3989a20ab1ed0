// npm run network -- init --sites sites.csv --currency GBP --out network.json
// npm run network -- check network.json
// Writes a merchant's network from a CSV of sites, or explains every error of a network
// file with its path. See docs/getting-started.md.
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { DEMO_NETWORK_PATH } from './network-file.js'
import { checkNetwork, networkFromSites, type Template } from './network-init.js'

const USAGE = `usage: npm run network -- init --sites sites.csv --currency GBP --out network.json [--name VERSION]
       npm run network -- check network.json
  sites.csv: id,kind,lat,lon,capabilities (capabilities ;-separated), optional name, central`

function main(): number {
  const [command, ...rest] = process.argv.slice(2)
  if (command === 'init') {
    const { values } = parseArgs({ args: rest, options: { sites: { type: 'string' }, currency: { type: 'string' }, out: { type: 'string' }, name: { type: 'string' } } })
    if (!values.sites || !values.currency || !values.out) { console.error(USAGE); return 2 }
    const template = JSON.parse(readFileSync(DEMO_NETWORK_PATH, 'utf8')) as Template
    const built = networkFromSites(readFileSync(values.sites, 'utf8'), { currency: values.currency, template, name: values.name })
    if (!built.ok) {
      console.error(`${values.sites}: ${built.errors.length} error${built.errors.length > 1 ? 's' : ''}, nothing written`)
      for (const e of built.errors) console.error(`  ${e.path}: ${e.message}`)
      return 1
    }
    writeFileSync(values.out, JSON.stringify(built.network, null, 1) + '\n')
    console.log(`wrote ${values.out}: ${built.network.nodes.length} sites, money in ${built.network.currency}; start with NETWORK_FILE=${values.out}`)
    return 0
  }
  if (command === 'check') {
    const file = rest[0]
    if (!file) { console.error(USAGE); return 2 }
    let json: unknown
    try {
      json = JSON.parse(readFileSync(file, 'utf8'))
    } catch (e) {
      console.error(`${file}: not JSON: ${(e as Error).message}`)
      return 1
    }
    const r = checkNetwork(json)
    if (r.ok) { console.log(`${file}: valid`); return 0 }
    console.error(`${file}: ${r.errors.length} error${r.errors.length > 1 ? 's' : ''}`)
    for (const e of r.errors) console.error(`  ${e.path}: ${e.message}`)
    return 1
  }
  console.error(USAGE)
  return 2
}

process.exit(main())
