/**
 * What the kernel remembers about a container between endpoint refreshes: the highest usage it ever had
 * (cgroup v1 `max_usage_in_bytes` is updated on every charge, not only when someone samples). Advanced in 1 s
 * simulated steps so a spike between two 10 s samples still raises the peak, as it does on a real host.
 */
import { usageMibAt, type ScenarioContainer } from './scenario';

const STEP_SECONDS = 1;

/** Running per-container state of the simulated cgroup. */
export class ContainerHistory {
  private atSeconds = -STEP_SECONDS;
  private maxUsage = 0;

  constructor(private readonly container: ScenarioContainer) {}

  /** Move the kernel's memory of this container forward to `tSeconds` (never backwards). */
  advanceTo(tSeconds: number): void {
    while (this.atSeconds + STEP_SECONDS <= tSeconds) {
      this.atSeconds += STEP_SECONDS;
      this.observe(this.atSeconds);
    }
    this.observe(tSeconds);
  }

  private observe(t: number): void {
    this.maxUsage = Math.max(this.maxUsage, usageMibAt(this.container, t));
  }

  /** Highest usage so far, MiB (what cgroup v1 reports as max_usage). */
  get maxUsageMib(): number {
    return this.maxUsage;
  }
}
