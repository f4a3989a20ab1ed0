// How routes are grouped and guarded: the role a route needs, the request's role once its
// key was checked.
import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../app-context.js'
import type { Role } from '../contracts/enums.js'

/**
 * Route options naming the role a route needs. The key is checked in an onRequest hook
 * (app.ts), before the body is read, so the role must be known from the route alone.
 */
export interface Guard { config: { role: Role } }

/** A group of routes: registered on the app with the running services and the guard. */
export type RouteModule = (app: FastifyInstance, ctx: AppContext, guard: (role: Role) => Guard) => void | Promise<void>

declare module 'fastify' {
  interface FastifyRequest { role?: Role }
  interface FastifyContextConfig { role?: Role }
}
