import cliProgress from 'cli-progress';
import { EtaEstimator } from './eta.js';
import { formatDuration } from './format-duration.js';

/** Values shown by the progress display. */
export interface ProgressValues {
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly samplesPerSec: number;
}

/** How progress is shown: a bar on a TTY, log lines otherwise, or nothing. */
export type ProgressMode = 'auto' | 'bar' | 'log' | 'silent';

/**
 * Training progress: a cli-progress bar on a TTY (epoch, step, loss, accuracy, samples/s, ETA), plain
 * log lines otherwise (one per `update` call the trainer makes at its log interval) with the same
 * fields, the ETA measured over the last 50 steps as the bar's is (`ETA -` until there is a pace).
 */
export class Progress {
  private bar: cliProgress.SingleBar | null = null;
  private readonly mode: 'bar' | 'log' | 'silent';
  private last: { step: number; payload: Record<string, string | number> } = { step: 0, payload: {} };
  private readonly eta: EtaEstimator;

  constructor(
    mode: ProgressMode,
    private readonly totalSteps: number,
    private readonly log: (line: string) => void,
    stream: NodeJS.WriteStream = process.stderr,
    clock: () => number = () => performance.now(),
  ) {
    this.eta = new EtaEstimator(totalSteps, 50, clock);
    this.mode = mode === 'auto' ? (stream.isTTY ? 'bar' : 'log') : mode;
    if (this.mode === 'bar') {
      this.bar = new cliProgress.SingleBar(
        {
          format: 'epoch {ep}/{epochs} |{bar}| step {value}/{total} | loss {loss} | acc {acc} | {sps} samples/s | ETA {eta_formatted}',
          stream,
          hideCursor: true,
          etaBuffer: 50,
          noTTYOutput: false,
        },
        cliProgress.Presets.shades_classic,
      );
    }
  }

  start(step: number, values: ProgressValues): void {
    this.last = { step, payload: this.payload(values) };
    this.eta.observe(step);
    this.bar?.start(this.totalSteps, step, this.last.payload);
  }

  update(values: ProgressValues, logLine: boolean): void {
    this.last = { step: values.step, payload: this.payload(values) };
    this.eta.observe(values.step);
    if (this.bar) this.bar.update(values.step, this.last.payload);
    else if (this.mode === 'log' && logLine) {
      this.log(
        `epoch ${values.epoch + 1}/${values.epochs} step ${values.step}/${this.totalSteps} loss ${values.loss.toFixed(4)} ` +
          `acc ${(values.accuracy * 100).toFixed(2)}% ${values.samplesPerSec.toFixed(1)} samples/s ETA ${this.etaText()}`,
      );
    }
  }

  /** Prints a line without breaking the bar. */
  note(line: string): void {
    if (this.bar) {
      this.bar.stop();
      this.log(line);
      this.bar.start(this.totalSteps, this.last.step, this.last.payload);
    } else if (this.mode !== 'silent') this.log(line);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }

  private etaText(): string {
    const s = this.eta.seconds();
    return s === null ? '-' : formatDuration(s);
  }

  private payload(v: ProgressValues): Record<string, string | number> {
    return {
      ep: v.epoch + 1,
      epochs: v.epochs,
      loss: Number.isFinite(v.loss) ? v.loss.toFixed(4) : '-',
      acc: `${(v.accuracy * 100).toFixed(2)}%`,
      sps: v.samplesPerSec.toFixed(1),
    };
  }
}
