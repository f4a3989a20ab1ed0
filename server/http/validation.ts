// The one shape of a 400 for bad input: which field (path) and why.
import type { FastifyReply } from 'fastify'
import type { z, ZodError } from 'zod'

export function badRequest(reply: FastifyReply, error: ZodError) {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }))
  const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')
  return reply.code(400).send({ error: 'bad_request', message, issues })
}

/** Parses a query string; on failure sends the 400 and returns undefined. */
export function parseQuery<S extends z.ZodType>(schema: S, input: unknown, reply: FastifyReply): z.infer<S> | undefined {
  const parsed = schema.safeParse(input ?? {})
  if (parsed.success) return parsed.data
  const issues = parsed.error.issues.map((i) => ({
    // An unknown parameter has an empty path; its name is in the issue's keys.
    path: i.path.length ? i.path.map(String).join('.') : ((i as { keys?: string[] }).keys ?? []).join(','),
    message: i.message,
  }))
  void reply.code(400).send({ error: 'bad_request', message: `invalid query parameter${issues.length > 1 ? 's' : ''}: ${issues.map((i) => i.path).join(', ')}`, issues })
  return undefined
}
