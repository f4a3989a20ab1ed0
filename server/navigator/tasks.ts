// The chosen path as steps (kind, node, ETA, cost) and as work for people: tasks with
// role, action and due time, ordered downstream by the return's priority (value decay
// per hour: high-value, fast-decaying items are handled first).
import type { Task } from '../contracts/decision.js'
import type { Candidate } from './candidates.js'
import { round2 } from './explain.js'
import type { LineContext } from './line-context.js'
import type { Network } from './network.js'

const HOUR_MS = 3_600_000

export interface Step {
  kind: string
  nodeId: string | null
  etaHours: number
  cost: number
}

/** Money per hour the item loses while in the pipeline: resale value × decay per week / 168. */
export function priorityOf(ctx: LineContext): number {
  return ctx.priority
}

const FIRST_MILE_STEP: Record<string, string> = {
  courier_pickup: 'book_pickup', drop_off: 'drop_off', self_ship: 'self_ship',
}

export function stepsOf(c: Candidate, ctx: LineContext, network: Network): Step[] {
  const id = (i: number) => (i < 0 ? null : network.nodes[i].id)
  const t = c.timing
  const steps: Step[] = []
  const push = (kind: string, nodeIdx: number, eta: number, cost: number) =>
    steps.push({ kind, nodeId: id(nodeIdx), etaHours: round2(eta), cost: round2(cost) })
  if (c.resolution === 'keep_it' || c.resolution === 'partial_refund') {
    push(c.resolution === 'keep_it' ? 'refund_returnless' : 'partial_refund', -1, t.resolvedH, c.parts.refundOutflow)
    return steps
  }
  const node = network.nodes[c.receivingNode]
  const receiveInspect = (node.handling.receive + node.handling.inspect) * node.labourCostFactor * ctx.qty
  if (c.swapAtDoor) push('swap_at_door', c.receivingNode, t.handoverH, c.parts.inboundLogistics + c.parts.outboundLogistics)
  else push(FIRST_MILE_STEP[c.inboundMode], -1, t.handoverH, c.parts.inboundLogistics)
  push('transit', c.receivingNode, t.arrivalH, 0)
  push('receive_inspect', c.receivingNode, t.inspectedH, receiveInspect)
  switch (c.resolution) {
    case 'refund': push('refund', -1, t.resolvedH, c.parts.refundOutflow); break
    case 'store_credit': push('store_credit', -1, t.resolvedH, c.parts.refundOutflow); break
    case 'exchange':
      if (!c.swapAtDoor) push('ship_exchange', c.exchangeSource, t.resolvedH, c.parts.outboundLogistics + c.parts.refundOutflow)
      break
    case 'repair':
      push('repair', c.receivingNode, t.exchangeDepartH - node.pickPackHours, c.parts.repair)
      push('return_repaired', c.receivingNode, t.resolvedH, c.parts.outboundLogistics)
      break
  }
  if (c.disposition !== 'none') {
    push(`dispose_${c.disposition}`, c.receivingNode, t.inspectedH + 24, c.parts.handling - receiveInspect + c.parts.repair)
  }
  return steps.sort((a, b) => a.etaHours - b.etaHours)
}

export function tasksOf(c: Candidate, ctx: LineContext, network: Network, nowMs: number, priority: number): Task[] {
  const at = (h: number) => new Date(nowMs + h * HOUR_MS).toISOString()
  const id = (i: number) => (i < 0 ? null : network.nodes[i].id)
  const t = c.timing
  const tasks: Task[] = []
  const money = (x: number) => round2(x)
  if (c.resolution === 'keep_it' || c.resolution === 'partial_refund') {
    tasks.push({
      role: 'finance', action: c.resolution === 'keep_it' ? 'refund_returnless' : 'partial_refund',
      dueAt: at(t.resolvedH), nodeId: null, detail: { amount: money(c.parts.refundOutflow), priority },
    })
    tasks.push({
      role: 'customer_service', action: 'tell_customer_to_keep_item', dueAt: at(1), nodeId: null,
      detail: { resolution: c.resolution, priority },
    })
    return tasks
  }
  const n = c.receivingNode
  if (c.swapAtDoor) {
    tasks.push({ role: 'logistics', action: 'book_swap_at_door', dueAt: at(1), nodeId: id(n), detail: { replacementSku: ctx.exchangeSku, qty: ctx.qty, priority } })
  } else if (c.inboundMode === 'courier_pickup') {
    tasks.push({ role: 'logistics', action: 'book_pickup', dueAt: at(1), nodeId: id(n), detail: { deliverTo: id(n), weightKg: round2(ctx.weightKg), priority } })
  } else {
    tasks.push({
      role: 'customer_service', action: c.inboundMode === 'drop_off' ? 'send_drop_off_code' : 'send_return_label',
      dueAt: at(1), nodeId: id(n), detail: { deliverTo: id(n), priority },
    })
  }
  const gradePlan = c.plan
    ? Object.fromEntries(c.plan.map((d, g) => ['ABCD'[g], d]).filter(([, d]) => d !== null))
    : undefined
  tasks.push({
    role: 'warehouse', action: 'receive_and_inspect', dueAt: at(t.inspectedH), nodeId: id(n),
    detail: { sku: ctx.sku, qty: ctx.qty, priority, ...(gradePlan ? { dispositionPlan: gradePlan } : {}) },
  })
  switch (c.resolution) {
    case 'refund':
    case 'store_credit':
      tasks.push({
        role: 'finance', action: c.resolution === 'refund' ? 'refund' : 'issue_store_credit', dueAt: at(t.resolvedH), nodeId: null,
        detail: { amount: money(c.parts.refundOutflow), on: c.refundTiming ?? 'first_scan', priority },
      })
      break
    case 'exchange':
      tasks.push({
        role: 'warehouse', action: c.swapAtDoor ? 'prepare_swap_at_door' : 'ship_exchange',
        dueAt: at(c.swapAtDoor ? Math.max(0, t.exchangeDepartH) : t.exchangeDepartH), nodeId: id(c.exchangeSource),
        detail: { sku: ctx.exchangeSku, qty: ctx.qty, priority },
      })
      break
    case 'repair': {
      const q = c.repair!
      const node = network.nodes[n]
      tasks.push({
        role: 'repair', action: 'repair', dueAt: at(t.exchangeDepartH - node.pickPackHours), nodeId: id(n),
        detail: { productType: ctx.productType, parts: q.parts.map((p) => ({ id: p.id, name: p.name, qty: ctx.qty })), labourHours: q.hours, cost: money(q.cost), priority },
      })
      tasks.push({ role: 'warehouse', action: 'return_repaired_item', dueAt: at(t.exchangeDepartH), nodeId: id(n), detail: { priority } })
      break
    }
  }
  return tasks
}
