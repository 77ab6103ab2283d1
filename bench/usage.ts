import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildApp } from "../src/server/app.ts";
import { createUsageToken } from "../src/server/imports/usage-api/tokens.ts";
import { settleRollups } from "../src/server/indicators/engine.ts";
import { CLI_ACTOR } from "../src/server/platform/audit.ts";
import { loadConfig } from "../src/server/platform/config.ts";
import { openDatabase } from "../src/server/platform/db.ts";
import { MIGRATIONS } from "../src/server/schema.ts";
import { generateDemoSchools } from "../src/server/territories/demo/generate.ts";
import { loadDemo } from "../src/server/territories/demo/load.ts";
import { seedReferential } from "../src/server/territories/seed.ts";
import { peakRssMb, vigieCommand } from "./cli.ts";

/**
 * ENT usage (issue 10, figures): batches of 10 000 rows sent to `POST /api/v1/usage/batches` on
 * PostgreSQL (the real app, `app.inject`: JSON parsing, validation, the usage profile, the scope
 * checks, `applyValues`), and a 1 000 000-row usage file committed by `vigie import usage … --commit`
 * on PGlite and on PostgreSQL, each in its own process, peak RSS measured by GNU time. The
 * schools are those of the académie-scale demo territory.
 */

const PROFILES = ["pupil", "teacher", "parent", "staff"] as const;
const FILE_PROFILES = ["Élèves", "Enseignants", "Parents", "Personnels"] as const;
const MEASURES = ["connections", "unique_visitors"] as const;

export interface UsageFigures {
  readonly api: {
    readonly batches: number;
    readonly rowsPerBatch: number;
    readonly seconds: number;
    readonly rowsPerSecond: number;
    readonly slowestBatchMs: number;
    readonly written: number;
    readonly rollupSeconds: number;
  };
  readonly files: readonly {
    readonly engine: string;
    readonly rows: number;
    readonly fileMb: number;
    readonly seconds: number;
    readonly rowsPerSecond: number;
    readonly peakRssMb: number;
    readonly values: number;
  }[];
  readonly load: string;
}

/** The day of index `d` from 2024-09-02 (a school year of days). */
function day(d: number): string {
  return new Date(Date.UTC(2024, 8, 2) + d * 86_400_000).toISOString().slice(0, 10);
}

async function benchApi(pgUrl: string, batches: number, rowsPerBatch: number): Promise<UsageFigures["api"]> {
  const handle = await openDatabase({ dataDir: ":memory:", databaseUrl: pgUrl }, { migrations: MIGRATIONS });
  await seedReferential(handle.db);
  await loadDemo(handle.db, "academy");
  const uais = (await handle.db.selectFrom("school").select("uai").orderBy("uai").execute()).map(
    (s) => s.uai,
  );
  const config = { ...loadConfig({ LOG_LEVEL: "warn" }), dataDir: ":memory:", databaseUrl: undefined };
  const app = await buildApp(handle, config);
  const { token } = await createUsageToken(
    handle.db,
    { provider: "Banc d'essai", territories: ["FR"] },
    CLI_ACTOR,
  );
  let index = 0;
  const nextRow = () => {
    const i = index++;
    const measure = MEASURES[i % 2] as string;
    const profile = PROFILES[Math.floor(i / 2) % 4] as string;
    const school = Math.floor(i / 8) % uais.length;
    const d = Math.floor(i / (8 * uais.length));
    return { uai: uais[school] as string, date: day(d), profile, measure, value: (i * 7) % 500 };
  };
  let written = 0;
  let slowest = 0;
  const started = performance.now();
  for (let b = 0; b < batches; b++) {
    const payload = { batchId: `banc-${b}`, rows: Array.from({ length: rowsPerBatch }, nextRow) };
    const t0 = performance.now();
    const res = await app.inject({
      method: "POST",
      url: "/api/v1/usage/batches",
      headers: { authorization: `Bearer ${token}` },
      payload,
    });
    slowest = Math.max(slowest, performance.now() - t0);
    if (res.statusCode !== 200) throw new Error(`lot refusé : ${res.statusCode} ${res.body.slice(0, 300)}`);
    const answer = res.json() as { written: number; accepted: number };
    if (answer.accepted !== rowsPerBatch) throw new Error(`lot incomplet : ${res.body.slice(0, 300)}`);
    written += answer.written;
  }
  const seconds = (performance.now() - started) / 1000;
  // The roll-ups the batches started in the background, to their end.
  const r0 = performance.now();
  await settleRollups(handle.db);
  const rollupSeconds = (performance.now() - r0) / 1000;
  await app.close();
  await handle.close();
  return {
    batches,
    rowsPerBatch,
    seconds,
    rowsPerSecond: Math.round((batches * rowsPerBatch) / seconds),
    slowestBatchMs: Math.round(slowest),
    written,
    rollupSeconds,
  };
}

/** A long-layout usage file: (day, school, profile) × connections, written in slices. */
function writeUsageFile(file: string, uais: readonly string[], rows: number): void {
  const fd = fs.openSync(file, "w");
  let buffer = "UAI;Date;Profil;Mesure;Valeur\r\n";
  for (let i = 0; i < rows; i++) {
    const profile = FILE_PROFILES[i % 4] as string;
    const school = Math.floor(i / 4) % uais.length;
    const d = Math.floor(i / (4 * uais.length));
    buffer += `${uais[school]};${day(d)};${profile};Connexions;${(i * 7) % 500}\r\n`;
    if (buffer.length > 1 << 20) {
      fs.writeSync(fd, buffer);
      buffer = "";
    }
  }
  fs.writeSync(fd, buffer);
  fs.closeSync(fd);
}

async function benchFile(engine: string, env: NodeJS.ProcessEnv, file: string, rows: number) {
  const demo = vigieCommand(["demo", "--scale", "academy", "--no-values"], env);
  if (demo.status !== 0) throw new Error(`démonstration en échec : ${demo.stderr}`);
  const started = performance.now();
  const run = vigieCommand(["import", "usage", file, "--commit", "--json"], env, true);
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`import en échec : ${run.stderr.slice(-2000)}`);
  const report = JSON.parse(run.stdout) as { accepted: number; values: number; committed: boolean };
  if (!report.committed || report.accepted !== rows)
    throw new Error(`import incomplet : ${run.stdout.slice(0, 500)}`);
  return {
    engine,
    rows,
    fileMb: fs.statSync(file).size / 1e6,
    seconds,
    rowsPerSecond: Math.round(rows / seconds),
    peakRssMb: peakRssMb(run.stderr),
    values: report.values,
  };
}

export async function benchUsage(
  pgApiUrl: string,
  pgFileUrl: string,
  work: string,
  options: { fileRows?: number; batches?: number } = {},
): Promise<UsageFigures> {
  const load = `charge moyenne au départ ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ")}`;
  console.error("API d'usage : lots de 10 000 lignes sur PostgreSQL…");
  const api = await benchApi(pgApiUrl, options.batches ?? 10, 10_000);
  console.error(JSON.stringify(api));
  const rows = options.fileRows ?? 1_000_000;
  const file = path.join(work, "usage-1m.csv");
  writeUsageFile(
    file,
    generateDemoSchools("academy").map((s) => s.uai),
    rows,
  );
  const files = [];
  for (const [engine, env] of [
    ["PGlite", { ...process.env, VIGIE_DATA_DIR: path.join(work, "usage-pglite"), DATABASE_URL: "" }],
    ["PostgreSQL", { ...process.env, VIGIE_DATA_DIR: path.join(work, "usage-pg"), DATABASE_URL: pgFileUrl }],
  ] as const) {
    console.error(`Fichier d'usage de ${rows} lignes sur ${engine}…`);
    const figures = await benchFile(engine, env, file, rows);
    console.error(JSON.stringify(figures));
    files.push(figures);
  }
  return { api, files, load };
}

export function usageTable(f: UsageFigures): string {
  const n = (x: number) => x.toLocaleString("fr-FR");
  return [
    "| mesure | résultat | objectif |",
    "|---|---|---|",
    `| API d'usage, ${f.api.batches} lots de ${n(f.api.rowsPerBatch)} lignes (JSON, \`app.inject\`), PostgreSQL | **${n(f.api.rowsPerSecond)} lignes/s** (${f.api.seconds.toFixed(1)} s ; lot le plus lent ${n(f.api.slowestBatchMs)} ms ; ${n(f.api.written)} valeurs écrites) | ≥ 100 000 lignes/s |`,
    `| consolidation lancée par les lots, jusqu'à sa fin | ${f.api.rollupSeconds.toFixed(1)} s après le dernier lot | |`,
    ...f.files.map(
      (x) =>
        `| \`vigie import usage … --commit\`, ${n(x.rows)} lignes (${x.fileMb.toFixed(1)} Mo, ${n(x.values)} valeurs), ${x.engine} | **${n(x.rowsPerSecond)} lignes/s** (${x.seconds.toFixed(1)} s), RSS max **${n(x.peakRssMb)} Mo** | ≥ ${x.engine === "PGlite" ? "40 000" : "100 000"} lignes/s, < 300 Mo |`,
    ),
    "",
    `Machine : ${f.load}.`,
  ].join("\n");
}
