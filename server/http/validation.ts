// The one shape of a 400 for bad input: which field (path) and why.
import type { FastifyReply } from 'fastify'
import type { ZodError } from 'zod'

export function badRequest(reply: FastifyReply, error: ZodError) {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
  const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')
  return reply.code(400).send({ error: 'bad_request', message, issues })
}
