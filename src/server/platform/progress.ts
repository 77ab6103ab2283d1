import cliProgress from "cli-progress";

/**
 * A progress bar on an interactive terminal, nothing otherwise (CI logs, pipes, `--json`).
 * Returns the callback to give to long jobs and a function to close the bar.
 */
export function terminalProgress(label: string, enabled: boolean) {
  if (!enabled || !process.stderr.isTTY) return { onProgress: undefined, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage} % · {value}/{total}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress: (done: number, total: number) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
