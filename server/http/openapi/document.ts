// The OpenAPI 3.1 document from the operation catalog: zod → JSON Schema 2020-12
// (OpenAPI 3.1's own dialect), request schemas as the client sends them (io: 'input':
// defaults optional, coerced numbers as numbers), answers as the server sends them.
import { z } from 'zod'
import type { Operation } from './catalog.js'

type Json = Record<string, any>

const REF = '#/components/schemas/'

export interface DocumentInfo { title: string; version: string; description: string }

/** Messages the server sends (OpenAPI 3.1 `webhooks`): event type → body schema. */
export interface Outgoing { types: readonly string[]; body: z.ZodType; description: string }

export function buildOpenApiDocument(operations: Operation[], named: [z.ZodType, string][], info: DocumentInfo, outgoing?: Outgoing): Json {
  const registry = z.registry<{ id: string }>()
  for (const [schema, id] of named) registry.add(schema, { id })
  const components: Json = {}

  /** JSON Schema of `schema`, named sub-schemas moved to components and referenced. */
  const convert = (schema: z.ZodType, io: 'input' | 'output'): Json => {
    const id = registry.get(schema)?.id
    const json = z.toJSONSchema(schema, { metadata: registry, target: 'draft-2020-12', io, unrepresentable: 'any', cycles: 'ref', reused: 'inline' }) as Json
    const text = JSON.stringify(json).replaceAll('"#/$defs/', `"${REF}`).replaceAll('"#"', id ? `"${REF}${id}"` : '"#"')
    const out = JSON.parse(text) as Json
    for (const [name, def] of Object.entries((out.$defs ?? {}) as Json)) components[name] ??= def
    delete out.$defs
    delete out.$schema
    if (id) {
      components[id] ??= out
      return { $ref: REF + id }
    }
    return out
  }

  const paths: Json = {}
  for (const op of operations) {
    const path = op.url.replace(/:(\w+)/g, '{$1}')
    const parameters: Json[] = []
    const addParams = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
      if (!schema) return
      const json = convert(schema, 'input')
      for (const [name, prop] of Object.entries((json.properties ?? {}) as Json)) {
        const { description, ...rest } = prop as Json
        parameters.push({
          name, in: where, required: where === 'path' || (json.required ?? []).includes(name),
          schema: rest, ...(description ? { description } : {}),
        })
      }
    }
    addParams(op.params, 'path')
    addParams(op.query, 'query')
    const responses: Json = {}
    for (const [status, answer] of Object.entries(op.responses)) {
      responses[status] = typeof answer === 'string'
        ? { description: answer }
        : { description: Number(status) < 300 ? 'OK' : 'error (error, message, and for bad input the issues with their field paths)', content: { 'application/json': { schema: convert(answer, 'output') } } }
    }
    if (op.auth) responses[401] = { description: 'no or unknown API key' }
    if (op.auth) responses[403] = { description: `the key's role is below ${op.auth}` }
    paths[path] ??= {}
    paths[path][op.method.toLowerCase()] = {
      operationId: operationId(op), summary: op.summary, tags: [op.tag],
      ...(op.auth ? { security: [{ apiKey: [] }], 'x-revnav-role': op.auth } : { security: [] }),
      ...(parameters.length ? { parameters } : {}),
      ...(op.body ? {
        requestBody: {
          required: true, ...(op.bodyDescription ? { description: op.bodyDescription } : {}),
          content: { 'application/json': { schema: convert(op.body, 'input') } },
        },
      } : {}),
      responses,
    }
  }

  const webhooks: Json = {}
  for (const type of outgoing?.types ?? []) {
    webhooks[type] = {
      post: {
        summary: `${type} message`, description: outgoing!.description,
        parameters: [
          { name: 'webhook-id', in: 'header', required: true, schema: { type: 'string' }, description: 'message id, the same on every retry (dedupe on it)' },
          { name: 'webhook-timestamp', in: 'header', required: true, schema: { type: 'string' }, description: 'Unix seconds of the attempt' },
          { name: 'webhook-signature', in: 'header', required: true, schema: { type: 'string' }, description: 'v1,<base64 HMAC-SHA256 of "id.timestamp.body">, space-separated when two secrets sign' },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: convert(outgoing!.body, 'output') } } },
        responses: { '2XX': { description: 'received; anything else is retried' } },
      },
    }
  }

  return {
    openapi: '3.1.0',
    info,
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: '/' }],
    security: [{ apiKey: [] }],
    paths,
    ...(outgoing ? { webhooks } : {}),
    components: {
      schemas: Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b))),
      securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key with a role: ingest, viewer, operator or admin' } },
    },
  }
}

/** getTasks, postTasksByTaskIdByAction, …: stable names for generated clients. */
function operationId(op: Operation): string {
  const parts = op.url.replace(/^\/api\/v1\//, '/').split('/').filter(Boolean)
    .map((p) => (p.startsWith(':') ? `By${cap(p.slice(1))}` : cap(p.replace(/[^\w]/g, ''))))
  return op.method.toLowerCase() + parts.join('')
}
const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
