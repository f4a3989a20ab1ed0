// How a route names the role it needs; the request's role once its key was checked.
import type { Role } from '../contracts/enums.js'

/**
 * Route options naming the role a route needs. The key is checked in an onRequest hook
 * (app.ts), before the body is read, so the role must be known from the route alone.
 */
export interface Guard { config: { role: Role } }

declare module 'fastify' {
  interface FastifyRequest { role?: Role }
  interface FastifyContextConfig { role?: Role }
}
