import { spawnSync } from "node:child_process";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Runs `vigie …` in its own process; `timed`: under GNU time, whose peak RSS ends stderr (`peak-rss-kb=`). */
export function vigieCommand(args: string[], env: NodeJS.ProcessEnv, timed = false) {
  const argv = [path.join(ROOT, "bin/vigie.mjs"), ...args];
  return spawnSync(
    timed ? "/usr/bin/time" : process.execPath,
    timed ? ["-f", "peak-rss-kb=%M", process.execPath, ...argv] : argv,
    {
      env,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    },
  );
}

/** The peak RSS GNU time reported, in MB. */
export function peakRssMb(stderr: string): number {
  return Math.round(Number(/peak-rss-kb=(\d+)/.exec(stderr)?.[1] ?? 0) / 1024);
}
