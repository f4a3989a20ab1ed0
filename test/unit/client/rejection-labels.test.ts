// Every reason the navigator gives for leaving candidates out, on a demo stream, has a
// label in both languages (the return page shows them as chips).
import { readFileSync } from 'node:fs'
import { expect, it } from 'vitest'
import { en } from '../../../client/src/i18n/en'
import { zh } from '../../../client/src/i18n/zh'
import { DEFAULT_WEIGHTS_VERSION, Navigator } from '../../../server/navigator/engine.js'
import { loadNetworkOrThrow } from '../../../server/navigator/network.js'
import { DEMO_NETWORK_PATH } from '../../../server/network/network-file.js'
import { demoInventorySnapshots, demoReturnRequests } from '../../../server/sim/demo-network/requests.js'

it('labels every rejection reason of a demo stream in en and zh', () => {
  const network = loadNetworkOrThrow(JSON.parse(readFileSync(DEMO_NETWORK_PATH, 'utf8')))
  let n = 0
  const nav = new Navigator(network, () => `d-${++n}`, () => `t-${n}`)
  const start = new Date('2026-11-02T00:00:00Z')
  for (const snapshot of demoInventorySnapshots(network, start)) nav.applyEvent(snapshot, start, DEFAULT_WEIGHTS_VERSION)
  const reasons = new Set<string>()
  for (const request of demoReturnRequests(network, { count: 1_500, seed: 7, start })) {
    for (const d of nav.applyEvent(request, new Date(request.occurredAt), DEFAULT_WEIGHTS_VERSION)) {
      for (const r of Object.keys(d.rejections)) reasons.add(r)
    }
  }
  expect(reasons.has('entitlement')).toBe(true)
  const unlabelled = [...reasons].filter((r) => !(`rejection.${r}` in en) || !(`rejection.${r}` in zh)).sort()
  expect(unlabelled).toEqual([])
}, 60_000)
