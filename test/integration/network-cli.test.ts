// npm run network: a merchant's own network from a CSV of sites, and a check that names
// every error with its path. Runs the real CLI.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from 'vitest'
import { serviceArea } from '../../server/import/service-area.js'
import { loadNetworkOrThrow } from '../../server/navigator/network.js'

const dir = mkdtempSync(join(tmpdir(), 'revnav-network-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const cli = (...args: string[]) => promisify(execFile)('npx', ['tsx', 'server/network/network-cli.ts', ...args], { cwd: process.cwd() })
  .then((r) => ({ code: 0, ...r }), (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }))

const SITES = [
  'id,kind,lat,lon,capabilities,name',
  'LON-WH,warehouse,51.51,-0.13,inspect;restock;liquidate;recycle;ship_exchange;outlet,London warehouse',
  'MAN-RC,returns_centre,53.48,-2.24,inspect;restock;refurbish;outlet;liquidate;recycle,Manchester returns',
  'BHM-DO,drop_off,52.48,-1.9,,Birmingham drop-off',
].join('\n')

describe('npm run network', () => {
  it('init builds a valid GBP network from a CSV of sites, and check passes', async () => {
    writeFileSync(join(dir, 'sites.csv'), SITES)
    const out = join(dir, 'network.json')
    const init = await cli('init', '--sites', join(dir, 'sites.csv'), '--currency', 'GBP', '--out', out)
    expect(init.code).toBe(0)
    const file = JSON.parse(readFileSync(out, 'utf8'))
    expect(file.currency).toBe('GBP')
    expect(file.nodes.map((n: { id: string; central: boolean }) => [n.id, n.central])).toEqual([['LON-WH', true], ['MAN-RC', false], ['BHM-DO', false]])
    const network = loadNetworkOrThrow(file)
    expect(network.receivingNodes).toHaveLength(2)
    // A Leeds customer is inside the service area of this network (and not of the demo's).
    const area = serviceArea({ roadFactor: file.rules.roadFactor, nodes: file.nodes, modes: file.inboundModes })
    expect(area.covers(53.8, -1.55)).toBe(true)
    // Money converted from the demo's CNY: a courier pickup base well under the demo's 12.
    expect(file.inboundModes.find((m: { mode: string }) => m.mode === 'courier_pickup').base).toBeLessThan(3)
    const check = await cli('check', out)
    expect(check).toMatchObject({ code: 0 })
    expect(check.stdout).toContain('valid')
  }, 60_000)

  it('init refuses bad sites, naming the CSV line and field', async () => {
    writeFileSync(join(dir, 'bad.csv'), 'id,kind,lat,lon,capabilities\nA,warehouse,95,0,inspect;teleport\nB,shed,1,1,\n')
    const init = await cli('init', '--sites', join(dir, 'bad.csv'), '--currency', 'pounds', '--out', join(dir, 'x.json'))
    expect(init.code).toBe(1)
    expect(init.stderr).toContain('--currency: "pounds" is not an ISO 4217 code')
    expect(init.stderr).toContain('sites line 2 (nodes.0.lat): Too big')
    expect(init.stderr).toContain('sites line 2 (nodes.0.capabilities.1)')
    expect(init.stderr).toContain('sites line 3 (nodes.1.kind)')
  }, 60_000)

  it('check explains every error of a broken file with its path', async () => {
    const file = JSON.parse(readFileSync(join(dir, 'network.json'), 'utf8'))
    file.nodes[1].kind = 'shed'
    file.inboundModes[0].base = -1
    delete file.rules
    writeFileSync(join(dir, 'broken.json'), JSON.stringify(file))
    const check = await cli('check', join(dir, 'broken.json'))
    expect(check.code).toBe(1)
    expect(check.stderr).toContain('3 errors')
    expect(check.stderr).toMatch(/nodes\.1\.kind: Invalid option/)
    expect(check.stderr).toMatch(/inboundModes\.0\.base: Too small/)
    expect(check.stderr).toMatch(/rules: Invalid input/)
  }, 60_000)
})
