// The OpenAPI document: served without a key, every registered API route in it, valid
// JSON Schema 2020-12 that real answers satisfy; the reference page serves its own assets.
import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { registeredApiRoutes } from '../../server/http/openapi/plugin.js'
import { get, post, startTestServer, TEST_KEYS, type TestServer } from '../helpers/runtime.js'

let server: TestServer
let doc: any

beforeAll(async () => {
  server = await startTestServer({ runtime: { navigator: true } })
  const res = await get(`${server.url}/api/v1/openapi.json`)
  expect(res.status).toBe(200)
  doc = res.body
})
afterAll(async () => { await server?.close() })

describe('OpenAPI document', () => {
  it('is OpenAPI 3.1 and holds every registered API route', () => {
    expect(doc.openapi).toBe('3.1.0')
    const routes = registeredApiRoutes(server.runtime.app)
    expect(routes.length).toBeGreaterThan(30)
    const missing = routes
      .map((r) => ({ method: r.method.toLowerCase(), path: r.url.replace(/:(\w+)/g, '{$1}') }))
      .filter((r) => !doc.paths[r.path]?.[r.method])
    expect(missing).toEqual([])
    // And nothing documented that does not exist.
    const registered = new Set(routes.map((r) => `${r.method.toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`))
    const documented = Object.entries(doc.paths).flatMap(([path, ops]: [string, any]) => Object.keys(ops).map((m) => `${m} ${path}`))
    expect(documented.filter((d) => !registered.has(d))).toEqual([])
    expect(Object.keys(doc.webhooks)).toContain('task.updated')
  })

  it('compiles as JSON Schema 2020-12 with every reference resolving, and a real decision satisfies its schema', async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false })
    ajv.addSchema({ $id: 'doc', components: doc.components })
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? []
    for (const ref of new Set(refs)) expect(doc.components.schemas[ref.split('/').pop()!.replace('"', '')], ref).toBeTruthy()
    const item = [...server.runtime.navigator!.network.catalog.values()][0]
    const ev = {
      eventId: 'oa-1', type: 'return.requested', occurredAt: new Date().toISOString(), rmaId: 'RMA-OA-1', orderId: 'O-OA-1',
      customer: { id: 'C-OA', lat: 31.2, lon: 121.4 }, channel: 'web',
      lines: [{ sku: item.sku, qty: 1, unitPrice: item.price, reason: 'changed_mind', condition: 'unopened', wants: 'refund' }],
    }
    const validateEvent = ajv.compile({ $ref: 'doc#/components/schemas/Event' })
    expect(validateEvent(ev), JSON.stringify(validateEvent.errors)).toBe(true)
    expect(validateEvent({ ...ev, type: 'return.requested', lines: [] })).toBe(false)
    await post(`${server.url}/api/v1/events`, ev, TEST_KEYS.ingest)
    const decisions = await get(`${server.url}/api/v1/decisions?limit=5`, TEST_KEYS.viewer)
    // The document's references point into components; resolve them through the added document.
    const schema = JSON.parse(JSON.stringify(doc.paths['/api/v1/decisions'].get.responses[200].content['application/json'].schema).replaceAll('#/components', 'doc#/components'))
    const check = ajv.compile(schema)
    expect(check(decisions.body), JSON.stringify(check.errors)).toBe(true)
    const tasks = await get(`${server.url}/api/v1/tasks?rmaId=RMA-OA-1`, TEST_KEYS.viewer)
    const taskList = ajv.compile(JSON.parse(JSON.stringify(doc.paths['/api/v1/tasks'].get.responses[200].content['application/json'].schema).replaceAll('#/components', 'doc#/components')))
    expect(taskList(tasks.body), JSON.stringify(taskList.errors)).toBe(true)
  })

  it('describes parameters and bodies from the zod contracts', () => {
    const list = doc.paths['/api/v1/tasks'].get
    expect(list.parameters.map((p: any) => p.name)).toEqual(['role', 'status', 'nodeId', 'rmaId', 'from', 'to', 'limit', 'offset'])
    expect(list.parameters.find((p: any) => p.name === 'status').schema.enum).toEqual(['open', 'in_progress', 'done', 'failed', 'cancelled'])
    expect(list['x-revnav-role']).toBe('viewer')
    const act = doc.paths['/api/v1/tasks/{taskId}/{action}'].post
    expect(act.parameters.find((p: any) => p.name === 'action')).toMatchObject({ in: 'path', required: true, schema: { enum: ['start', 'done', 'fail', 'cancel'] } })
    expect(act.requestBody.content['application/json'].schema.properties.grade.enum).toEqual(['A', 'B', 'C', 'D'])
    expect(doc.paths['/api/v1/track/{token}'].get.security).toEqual([])
    expect(doc.paths['/api/v1/webhooks'].post.responses['201'].content['application/json'].schema.properties.secret).toBeTruthy()
  })

  it('serves the reference page and its assets from the app, with no CDN', async () => {
    const page = await fetch(`${server.url}/api/v1/docs/`, { redirect: 'follow' })
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toMatch(/swagger/i)
    const external = [...html.matchAll(/(?:src|href)="(https?:[^"]+)"/g)].map((m) => m[1])
    expect(external).toEqual([])
    const assets = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => m[1])
    expect(assets.length).toBeGreaterThan(1)
    for (const asset of assets) {
      const res = await fetch(new URL(asset, `${server.url}/api/v1/docs/`))
      expect(res.status, asset).toBe(200)
      expect((await res.arrayBuffer()).byteLength, asset).toBeGreaterThan(100)
    }
    // The page loads the spec from the app and calls no online validator.
    const init = (await (await fetch(`${server.url}/api/v1/docs/static/swagger-initializer.js`)).text()).replace(/\/\/ .*$/gm, '')
    expect(init).not.toMatch(/https?:\/\//)
    expect(init).toMatch(/"validatorUrl":null/)
  })
})
