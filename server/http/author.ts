// Who made a change (weights, capacity): the role and a short, non-reversible
// fingerprint of the key, with the name the dashboard sends when there is one.
import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { bearerKey } from '../auth/keys.js'

export function authorOf(request: FastifyRequest): string {
  const key = bearerKey(request.headers.authorization) ?? ''
  const name = typeof request.headers['x-revnav-user'] === 'string' ? request.headers['x-revnav-user'].slice(0, 64) : ''
  const fingerprint = createHash('sha256').update(key).digest('hex').slice(0, 8)
  return name ? `${name} (${request.role}:${fingerprint})` : `${request.role}:${fingerprint}`
}
