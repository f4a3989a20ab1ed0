// The two phases every simulated run goes through: history as fast as the server takes
// it (speed-up 1, occurredAt in the past), then live at a gentle rate against the wall
// clock with compressed lifecycles. Shared by the in-process demo and the HTTP CLI.
import type { SimDriver } from './driver.js'

const DAY = 86_400_000

/**
 * A live-only run starts the shop one return horizon (7 simulated days) early, at the
 * live pace: orders of the last ~half hour are sent at once, backdated, so return
 * requests flow at the asked rate from the first minute instead of after a simulated
 * day. The navigator sees them as a short history.
 */
export function warmupMs(speedup: number): number {
  return (7 * DAY) / speedup
}

export interface PhasePlan {
  /** Fill history up to this time first (omit for live only). */
  backfillUntilMs?: number
  liveOrdersPerDay: number
  liveSpeedup: number
  /** How often the live phase catches up with the clock. */
  tickMs: number
  now: () => number
  onLive?: () => void
}

export async function backfillThenLive(driver: SimDriver, plan: PhasePlan): Promise<void> {
  if (plan.backfillUntilMs !== undefined) {
    await driver.pump(plan.backfillUntilMs)
    if (driver.stopped) return
    driver.world.setPace({ ordersPerDay: plan.liveOrdersPerDay, lifecycleSpeedup: plan.liveSpeedup }, plan.backfillUntilMs)
  }
  plan.onLive?.()
  while (!driver.stopped) {
    await driver.pump(plan.now())
    await driver.sleep(plan.tickMs)
  }
}
