/**
 * Progress of the seeding phases on stderr: a cli-progress bar on a terminal, one line per
 * finished phase otherwise (CI logs, pipes). Callers may also follow along with a callback.
 */
import cliProgress from 'cli-progress';

interface SeedProgressEvent {
  phase: string;
  done: number;
  total: number;
  /** What `done` and `total` count, e.g. "rows". */
  unit: string;
  finished: boolean;
}

export type OnSeedProgress = (event: SeedProgressEvent) => void;

export class Phase {
  private done = 0;
  private readonly started = performance.now();
  private readonly bar: cliProgress.SingleBar | null;

  constructor(
    private readonly name: string,
    private readonly total: number,
    private readonly unit: string,
    private readonly onProgress: OnSeedProgress | undefined,
  ) {
    this.bar = process.stderr.isTTY
      ? new cliProgress.SingleBar(
          {
            format: `  ${name.padEnd(13)} [{bar}] {percentage}% | {value}/{total} ${unit} | {duration_formatted}`,
            stream: process.stderr,
            hideCursor: true,
            barsize: 30,
          },
          cliProgress.Presets.shades_classic,
        )
      : null;
    this.bar?.start(total, 0);
  }

  tick(n: number): void {
    this.done += n;
    this.bar?.update(this.done);
    this.onProgress?.({ phase: this.name, done: this.done, total: this.total, unit: this.unit, finished: false });
  }

  finish(): number {
    const seconds = (performance.now() - this.started) / 1000;
    if (this.bar) {
      this.bar.update(this.total);
      this.bar.stop();
    } else {
      process.stderr.write(`seed: ${this.name} — ${this.total.toLocaleString('en-US')} ${this.unit} in ${seconds.toFixed(1)} s\n`);
    }
    this.onProgress?.({ phase: this.name, done: this.total, total: this.total, unit: this.unit, finished: true });
    return seconds;
  }
}
