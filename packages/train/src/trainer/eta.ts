/**
 * Estimated time to the last step, from the pace of the most recent steps (the last `window`
 * observations, as the progress bar's `etaBuffer` does), so a slow start or a changed pace fades out.
 */
export class EtaEstimator {
  private readonly seen: Array<{ readonly ms: number; readonly step: number }> = [];

  /**
   * @param totalSteps the step the run ends at
   * @param window how many recent observations the pace is measured over (default 50)
   * @param clock milliseconds (default `performance.now`)
   */
  constructor(
    private readonly totalSteps: number,
    private readonly window = 50,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  /** Records that the run is at `step` now. */
  observe(step: number): void {
    this.seen.push({ ms: this.clock(), step });
    if (this.seen.length > this.window) this.seen.shift();
  }

  /** Seconds left at the measured pace; 0 at the end; null until two observations are steps apart. */
  seconds(): number | null {
    const last = this.seen[this.seen.length - 1];
    if (!last) return null;
    if (last.step >= this.totalSteps) return 0;
    const first = this.seen[0]!;
    if (last.step <= first.step) return null;
    const msPerStep = (last.ms - first.ms) / (last.step - first.step);
    return ((this.totalSteps - last.step) * msPerStep) / 1000;
  }
}
