import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { writeAnnuaireCsv } from "../src/server/territories/annuaire/index.ts";
import { generateDemoSchools } from "../src/server/territories/demo/generate.ts";
import { type LatencyFigures, measureLatency } from "./load.ts";
import { nameFragments } from "./search.ts";
import { startServer } from "./server.ts";

/**
 * A responsive embedded server (issue 9, item 5), on PGlite:
 * - `/api/health` and a page read (a territory, which reads the base) timed one after the other,
 *   without pause, while a long piece of work runs in the server: a dry run of a 60 MB Annuaire
 *   file and a full roll-up at nation scale, both handed to the server by the `vigie` command
 *   (delegation, ADR 0008), so that they run in the server's process as an upload or a job would;
 * - school search at 50 concurrent clients on a nation-size base: p99 and time-outs (10 s).
 * Each is measured with the base in its worker thread (ADR 0009) and, to compare, in the server's
 * thread (`VIGIE_PGLITE_THREAD=main`). Goals: health and page < 500 ms; search p99 < 1 s, 0 time-outs.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
export const RESPONSIVENESS_GOALS = { healthMs: 500, searchP99Ms: 1000 } as const;
export type Threading = "worker" | "main";

export interface ProbeFigures {
  /** How long the work ran, in the server. */
  workMs: number;
  health: { count: number; worstMs: number; p99Ms: number };
  page: { count: number; worstMs: number; p99Ms: number };
}

/** Times GETs of `url`, one after the other, until `done` resolves. */
async function probe(baseUrl: string, url: string, done: Promise<unknown>) {
  const times: number[] = [];
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  while (!finished) {
    const t = performance.now();
    const res = await fetch(baseUrl + url);
    await res.arrayBuffer();
    times.push(performance.now() - t);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  times.sort((a, b) => a - b);
  const round = (ms: number) => Math.round(ms);
  return {
    count: times.length,
    worstMs: round(times.at(-1) ?? 0),
    p99Ms: round(times[Math.min(times.length - 1, Math.floor(0.99 * times.length))] ?? 0),
  };
}

/** A `vigie` command run while the server owns the base: it is handed to the server. */
function delegated(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bin/vigie.mjs"), ...args], {
      env: { ...process.env, LOG_LEVEL: "warn", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    child.once("exit", (code) =>
      // A dry run that finds rejected lines exits 1: it still ran to the end.
      code === 0 || code === 1
        ? resolve(performance.now() - start)
        : reject(new Error(`vigie ${args.join(" ")} (${code}) : ${err.slice(-2000)}`)),
    );
  });
}

/** Health and a page read while `args` runs in the server that owns `dataDir`. */
export async function probeDuring(
  dataDir: string,
  args: string[],
  threading: Threading,
): Promise<ProbeFigures> {
  const env = { VIGIE_DATA_DIR: dataDir, DATABASE_URL: "", VIGIE_PGLITE_THREAD: threading };
  const server = await startServer(env);
  try {
    const work = delegated(args, env);
    const [health, page, workMs] = await Promise.all([
      probe(server.url, "/api/health", work),
      probe(server.url, "/api/v1/territories/academy/04", work),
      work,
    ]);
    return { workMs: Math.round(workMs), health, page };
  } finally {
    server.child.kill("SIGTERM");
    await new Promise((resolve) => server.child.once("exit", resolve));
  }
}

/** An Annuaire file of about `mb` megabytes (the nation's schools, denser), in the 2026 layout. */
export function bigAnnuaireFile(work: string, mb: number): string {
  const file = path.join(work, `annuaire-${mb}mo.csv`);
  if (fs.existsSync(file)) return file;
  const sample = writeAnnuaireCsv(generateDemoSchools("nation", { density: 0.1 }), "2026").length;
  const density = (mb * 1e6) / (sample * 10);
  fs.writeFileSync(file, writeAnnuaireCsv(generateDemoSchools("nation", { density }), "2026"));
  return file;
}

/** School search by name fragment, 50 clients, on a server of the nation-size base. */
export async function searchAt50(dataDir: string, threading: Threading): Promise<LatencyFigures> {
  const urls = nameFragments(generateDemoSchools("nation")).map(
    (q) => `/api/v1/schools?q=${encodeURIComponent(q)}`,
  );
  const server = await startServer({
    VIGIE_DATA_DIR: dataDir,
    DATABASE_URL: "",
    VIGIE_PGLITE_THREAD: threading,
  });
  try {
    await measureLatency(server.url, urls, { clients: 10, total: 300 });
    return await measureLatency(server.url, urls, { clients: 50, total: 3000, timeoutMs: 10_000 });
  } finally {
    server.child.kill("SIGTERM");
    await new Promise((resolve) => server.child.once("exit", resolve));
  }
}

export interface ResponsivenessFigures {
  load: string;
  annuaireMb: number;
  dryRun: Record<Threading, ProbeFigures>;
  rollup: Record<Threading, ProbeFigures> | null;
  search: Record<Threading, LatencyFigures>;
}

export function responsivenessTable(f: ResponsivenessFigures): string {
  const probeCell = (p: ProbeFigures) =>
    `santé **${p.health.worstMs}** ms au pire (${p.health.count} appels) · page ${p.page.worstMs} ms au pire (p99 ${p.page.p99Ms}) · travail ${(p.workMs / 1000).toFixed(1)} s`;
  const searchCell = (m: LatencyFigures) =>
    `${m.p50} / ${m.p95} / **${m.p99}** ms (${m.rps} req/s, ${m.errors} erreurs, ${m.timeouts ?? 0} délais dépassés)`;
  const rows = [
    "| mesure | base dans son fil (ADR 0009) | base dans le fil du serveur | objectif |",
    "|---|---|---|---|",
    `| \`/api/health\` et une page (territoire, lue en base) pendant la simulation d'un import Annuaire de ${f.annuaireMb} Mo | ${probeCell(f.dryRun.worker)} | ${probeCell(f.dryRun.main)} | < ${RESPONSIVENESS_GOALS.healthMs} ms |`,
  ];
  if (f.rollup) {
    rows.push(
      `| même chose pendant une consolidation complète à l'échelle nationale (\`vigie rollup --full\`) | ${probeCell(f.rollup.worker)} | ${probeCell(f.rollup.main)} | < ${RESPONSIVENESS_GOALS.healthMs} ms |`,
    );
  }
  rows.push(
    `| recherche par fragment de nom, base nationale, 50 clients, 3000 requêtes : p50 / p95 / p99 | ${searchCell(f.search.worker)} | ${searchCell(f.search.main)} | p99 < ${RESPONSIVENESS_GOALS.searchP99Ms} ms, 0 délai dépassé |`,
  );
  return [`Charge de la machine au début : ${f.load}.`, "", ...rows].join("\n");
}

/**
 * The bases the part needs, kept between runs under `BENCH_CACHE_DIR` (default
 * /tmp/vigie-bench-cache; building the nation's values takes minutes): the nation's schools, and
 * the same with one school year of demo values for the roll-up. A cached base is migrated when
 * opened, like any base.
 */
export function cachedBases(
  buildSchools: (file: string, dataDir: string) => void,
  buildValues: (dataDir: string) => void,
) {
  const cache = process.env.BENCH_CACHE_DIR ?? "/tmp/vigie-bench-cache";
  fs.mkdirSync(cache, { recursive: true });
  const schools = path.join(cache, "pglite-nation");
  if (!fs.existsSync(path.join(schools, "pglite"))) {
    const file = path.join(cache, "annuaire-nation.csv");
    fs.writeFileSync(file, writeAnnuaireCsv(generateDemoSchools("nation"), "2026"));
    buildSchools(file, schools);
  }
  const values = path.join(cache, "pglite-nation-values");
  if (!fs.existsSync(path.join(values, "pglite"))) {
    fs.cpSync(schools, values, { recursive: true, filter: (src) => path.basename(src) !== "vigie.lock" });
    buildValues(values);
  }
  return { cache, schools, values };
}

/** Every figure of the part, each engine threading in turn (never two servers at once). */
export async function benchResponsiveness(bases: { cache: string; schools: string; values: string }) {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");
  const annuaireMb = 60;
  const file = bigAnnuaireFile(bases.cache, annuaireMb);
  const each = async <T>(f: (t: Threading) => Promise<T>) => ({
    worker: await f("worker"),
    main: await f("main"),
  });
  console.error("Réactivité : santé pendant la simulation d'un import de 60 Mo…");
  const dryRun = await each((t) => probeDuring(bases.schools, ["import", "annuaire", file], t));
  console.error(JSON.stringify(dryRun));
  console.error("Réactivité : santé pendant une consolidation complète à l'échelle nationale…");
  const rollup = await each((t) => probeDuring(bases.values, ["rollup", "--full"], t));
  console.error(JSON.stringify(rollup));
  console.error("Réactivité : recherche à 50 clients…");
  const search = await each((t) => searchAt50(bases.schools, t));
  console.error(JSON.stringify(search));
  return { load, annuaireMb, dryRun, rollup, search } satisfies ResponsivenessFigures;
}
