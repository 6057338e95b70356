/** A terminal progress bar for long imports (silent when output is not a terminal). */
import cliProgress from 'cli-progress';

export function progressBar(label: string): { update(done: number, total: number): void; stop(): void } {
  if (!process.stderr.isTTY) {
    let lastPct = -10;
    return {
      update(done, total) {
        const pct = total ? Math.floor((100 * done) / total) : 0;
        if (pct >= lastPct + 10) {
          lastPct = pct;
          process.stderr.write(`${label}: ${pct}%\n`);
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total}`, stream: process.stderr }, cliProgress.Presets.shades_classic);
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
