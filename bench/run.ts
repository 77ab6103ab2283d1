import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { writeAnnuaireCsv } from "../src/server/territories/annuaire/index.ts";
import { DEMO_SCALES, type DemoScale, generateDemoSchools } from "../src/server/territories/demo/generate.ts";
import { benchCompleteness, benchSubmissions, collectionTable } from "./collection.ts";
import { compiledImportChild } from "./compiled-child.ts";
import { benchDelegation, delegationTable } from "./delegation.ts";
import { benchObservatory, observatoryTable } from "./observatory.ts";
import { benchPix, pixTable } from "./pix.ts";
import { writeBenchmarkSection } from "./report.ts";
import { benchResponsiveness, cachedBases, responsivenessTable } from "./responsiveness.ts";
import { benchSearch, importInChild, searchTable } from "./search.ts";
import { serverLatency } from "./server.ts";
import { benchUploads, SERVER_NODE_OPTIONS, uploadsTable } from "./uploads.ts";
import { benchUsage, usageTable } from "./usage.ts";
import { benchValuesImport, valuesImportTable } from "./values-import.ts";

/**
 * `npm run bench`: the figures the issues ask for, measured on this machine.
 * - Annuaire import of a national-size file (≈ 65 000 rows, 2026 layout) on PGlite and PostgreSQL:
 *   duration, rows per second, peak RSS (each import in its own process).
 * - School search API at nation scale: p50/p95/p99 latency under concurrent clients.
 * - The observatory (bench/observatory.ts): full and incremental roll-up at nation scale,
 *   indicator API under 50 clients, an indicator page in Chromium.
 * - School search by name fragment (bench/search.ts): 20 clients, accents left out.
 * - A command handed to the server that owns the embedded base against the same command alone
 *   (bench/delegation.ts).
 * - A responsive embedded server (bench/responsiveness.ts): health and a page during a 60 MB
 *   Annuaire dry run and a nation roll-up on PGlite, school search at 50 clients; its bases are
 *   cached under BENCH_CACHE_DIR (default /tmp/vigie-bench-cache) between runs.
 * - `vigie import valeurs` dry run of a 63 MB file: peak RSS and report size (bench/values-import.ts).
 * - ENT usage (bench/usage.ts): batches of 10 000 rows through the usage API on PostgreSQL, and a
 *   1 000 000-row usage file committed on PGlite and PostgreSQL (rows per second, peak RSS);
 *   `BENCH_USAGE_ROWS` makes the file smaller (the command written with the figures says so).
 * - Pix imports (bench/pix.ts): a 1 000 000-participant Pix Orga collection committed on PGlite and
 *   PostgreSQL (rows per second, peak RSS; `BENCH_PIX_ROWS` makes it smaller), and the time from
 *   the end of a commit to the figure on the competences dashboard API.
 * - Collection campaigns (bench/collection.ts): 500 schools submitting a 60-field form within one
 *   minute on PostgreSQL (latency, nothing lost or duplicated), and the completeness of a
 *   nation-wide campaign per académie and département under 20 clients.
 * `npm run bench -- territories`, `-- observatory`, `-- search`, `-- delegation`, `-- responsiveness`, `-- values`, `-- usage`, `-- pix` or `-- collection` runs one part only;
 * `--scale=academy` (tiny, academy, region; nation by default) runs the search part smaller, to
 * try it: its figures are then printed, not written to docs/benchmarks.md.
 */

const ROOT = path.resolve(import.meta.dirname, "..");

const serverUrl = process.env.BENCH_DATABASE_URL;
if (!serverUrl) {
  console.error("BENCH_DATABASE_URL manquant : lancez « npm run bench » (qui démarre PostgreSQL).");
  process.exit(2);
}

const parts = new Set(process.argv.slice(2).filter((a) => !a.startsWith("-")));
const wants = (part: string) => parts.size === 0 || parts.has(part);
const scaleArg = process.argv.find((a) => a.startsWith("--scale="))?.slice("--scale=".length) ?? "nation";
if (!(DEMO_SCALES as readonly string[]).includes(scaleArg)) {
  console.error(`Échelle inconnue : ${scaleArg} (attendu : ${DEMO_SCALES.join(", ")}).`);
  process.exit(2);
}
const scale = scaleArg as DemoScale;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "vigie-bench-"));
const machine = () =>
  `${os.cpus().length} cœurs (${os.cpus()[0]?.model.trim()}), ${Math.round(os.totalmem() / 2 ** 30)} Gio, Node.js ${process.version}, ${process.env.BENCH_PG_VERSION ? `PostgreSQL ${process.env.BENCH_PG_VERSION}, ` : ""}PGlite (fichiers sur disque)`;

if (wants("territories")) await benchTerritories();
if (wants("uploads")) {
  const table = uploadsTable(await benchUploads(work, nationalFile()));
  writeBenchmarkSection(path.join(ROOT, "docs/benchmarks.md"), "uploads", {
    title: "Envoi d'un export de l'Annuaire et sa simulation : mémoire du serveur (issue 9)",
    machine: machine(),
    command: "npm run bench -- uploads",
    table,
  });
  console.log(table);
}
if (wants("observatory")) {
  const obsUrl = await createDatabase("vigie_bench_observatory");
  const figures = await benchObservatory(obsUrl, work);
  const table = observatoryTable(figures);
  writeBenchmarkSection(path.join(ROOT, "docs/benchmarks.md"), "observatory", {
    title: "Observatoire : consolidation, API des indicateurs, tableaux de bord (issue 4)",
    machine: machine(),
    command: "npm run bench -- observatory",
    table,
  });
  console.log(table);
}
if (wants("search")) {
  const figures = await benchSearch(await createDatabase("vigie_bench_search"), work, scale);
  const table = searchTable(figures);
  if (scale === "nation") {
    writeBenchmarkSection(path.join(ROOT, "docs/benchmarks.md"), "search", {
      title: "Recherche d'établissements par fragment de nom, échelle nationale (issue 8)",
      machine: machine(),
      command: "npm run bench -- search",
      table,
    });
  }
  console.log(table);
}
if (wants("responsiveness")) {
  const child = await compiledImportChild();
  const bases = cachedBases(
    (file, dataDir) => importInChild(child, file, { VIGIE_DATA_DIR: dataDir, DATABASE_URL: "" }),
    (dataDir) => {
      const res = spawnSync(
        process.execPath,
        ["--import", "tsx", path.join(ROOT, "bench/demo-values-child.ts"), dataDir],
        { env: { ...process.env, DATABASE_URL: "" }, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
      );
      if (res.status !== 0) throw new Error("valeurs de démonstration en échec");
    },
  );
  const table = responsivenessTable(await benchResponsiveness(bases));
  writeBenchmarkSection(path.join(ROOT, "docs/benchmarks.md"), "responsiveness", {
    title: "Un serveur embarqué qui répond pendant les longs travaux (issue 9, point 5)",
    machine: machine(),
    command: "npm run bench -- responsiveness",
    table,
  });
  console.log(table);
}
if (wants("delegation")) {
  const table = delegationTable(await benchDelegation(work));
  writeBenchmarkSection(path.join(ROOT, "docs/benchmarks.md"), "delegation", {
    title: "Commande confiée au serveur propriétaire de la base embarquée (issue 8)",
    machine: machine(),
    command: "npm run bench -- delegation",
    table,
  });
  console.log(table);
}
if (wants("values")) {
  const table = valuesImportTable(await benchValuesImport(work));
  writeBenchmarkSection(path.join(ROOT, "docs/benchmarks.md"), "values-import", {
    title: "Import de valeurs : simulation d'un fichier de 63 Mo en mémoire bornée (issue 9)",
    // PGlite only: no PostgreSQL in this part.
    machine: machine().replace(/, PostgreSQL [^,]*/, ""),
    command: "npm run bench -- values",
    table,
  });
  console.log(table);
}
if (wants("usage")) {
  const fileRows = Number(process.env.BENCH_USAGE_ROWS ?? 1_000_000);
  const figures = await benchUsage(
    await createDatabase("vigie_bench_usage_api"),
    await createDatabase("vigie_bench_usage_file"),
    work,
    { fileRows },
  );
  const table = usageTable(figures);
  writeBenchmarkSection(path.join(ROOT, "docs/benchmarks.md"), "usage", {
    title: "Statistiques d'usage des ENT : API des fournisseurs et fichier d'usage (issue 10)",
    machine: machine(),
    command: `${fileRows === 1_000_000 ? "" : `BENCH_USAGE_ROWS=${fileRows} `}npm run bench -- usage`,
    table,
  });
  console.log(table);
}
if (wants("pix")) {
  const rows = Number(process.env.BENCH_PIX_ROWS ?? 1_000_000);
  const figures = await benchPix(await createDatabase("vigie_bench_pix"), work, { rows });
  const table = pixTable(figures);
  writeBenchmarkSection(path.join(ROOT, "docs/benchmarks.md"), "pix", {
    title:
      "Imports Pix : collecte de profils d'un million de participants, et du commit au tableau de bord (issue 10)",
    machine: machine(),
    command: `${rows === 1_000_000 ? "" : `BENCH_PIX_ROWS=${rows} `}npm run bench -- pix`,
    table,
  });
  console.log(table);
}
if (wants("collection")) {
  // BENCH_COLLECTION_PART=completeness or =submissions runs one part only (its figures printed, not written).
  const only = process.env.BENCH_COLLECTION_PART;
  if (only === "completeness") {
    console.log(await benchCompleteness(await createDatabase("vigie_bench_collection_nation")));
    process.exit(0);
  }
  if (only === "submissions") {
    console.log(await benchSubmissions(await createDatabase("vigie_bench_collection")));
    process.exit(0);
  }
  const submissions = await benchSubmissions(await createDatabase("vigie_bench_collection"));
  const completeness = await benchCompleteness(await createDatabase("vigie_bench_collection_nation"));
  const table = collectionTable({ submissions, completeness });
  writeBenchmarkSection(path.join(ROOT, "docs/benchmarks.md"), "collection", {
    title: "Campagnes de collecte : transmissions simultanées et complétude nationale (issue 11)",
    machine: machine(),
    command: "npm run bench -- collection",
    table,
  });
  console.log(table);
}
fs.rmSync(work, { recursive: true, force: true });

async function createDatabase(name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  const version = (await admin.query("show server_version")).rows[0].server_version as string;
  await admin.end();
  const url = new URL(serverUrl as string);
  url.pathname = `/${name}`;
  process.env.BENCH_PG_VERSION = version;
  return url.toString();
}

/** The national-size Annuaire file (≈ 65 000 rows, 2026 layout), generated once per run. */
function nationalFile(): string {
  const file = path.join(work, "annuaire-nation-2026.csv");
  if (fs.existsSync(file)) return file;
  const records = generateDemoSchools("nation", { density: 65_000 / 60_000 });
  fs.writeFileSync(file, writeAnnuaireCsv(records, "2026"));
  console.error(
    `Fichier national généré : ${records.length} lignes, ${(fs.statSync(file).size / 1e6).toFixed(1)} Mo`,
  );
  return file;
}

async function benchTerritories() {
  const file = nationalFile();
  // The same records (the generator is deterministic), for the search part's URLs.
  const records = generateDemoSchools("nation", { density: 65_000 / 60_000 });
  // Compiled as the `vigie` command is (ADR 0011): the peak memory of the code people run.
  const child = await compiledImportChild();

  function runChildImport(env: NodeJS.ProcessEnv) {
    const res = spawnSync(process.execPath, [child, file], {
      // As `npm start` runs Vigie (package.json): a young generation of 4 Mo.
      env: { ...process.env, NODE_OPTIONS: SERVER_NODE_OPTIONS, ...env },
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (res.status !== 0) throw new Error(`import en échec : ${res.stderr}`);
    return JSON.parse(res.stdout.trim().split("\n").at(-1) as string) as {
      engine: string;
      rows: number;
      created: number;
      unchanged: number;
      ms: number;
      rowsPerSecond: number;
      rssBeforeMb: number;
      peakRssMb: number;
    };
  }

  const pgliteDir = path.join(work, "pglite-data");
  // The data directory is created (initdb, migrations) beforehand, as on a running instance, so
  // the measured process holds only the import.
  spawnSync(process.execPath, [path.join(ROOT, "bin/vigie.mjs"), "migrate"], {
    env: { ...process.env, VIGIE_DATA_DIR: pgliteDir, DATABASE_URL: "" },
    stdio: "inherit",
  });
  console.error("Import sur PGlite…");
  const importPglite = runChildImport({ VIGIE_DATA_DIR: pgliteDir, DATABASE_URL: "" });
  console.error(JSON.stringify(importPglite));
  const reimportPglite = runChildImport({ VIGIE_DATA_DIR: pgliteDir, DATABASE_URL: "" });
  console.error(JSON.stringify(reimportPglite));
  const pgUrl = await createDatabase("vigie_bench");
  console.error("Import sur PostgreSQL…");
  const importPg = runChildImport({ DATABASE_URL: pgUrl });
  console.error(JSON.stringify(importPg));
  const reimportPg = runChildImport({ DATABASE_URL: pgUrl });
  console.error(JSON.stringify(reimportPg));

  // A realistic mix of directory searches: by name, by UAI prefix, filtered lists, pages, school pages.
  const sample = records.filter((_, i) => i % 997 === 0);
  const urls = sample.flatMap((s, i) => [
    `/api/v1/schools?q=${encodeURIComponent(s.name.split(" ").slice(-1)[0] ?? "")}`,
    `/api/v1/schools?q=${s.uai.slice(0, 5)}`,
    `/api/v1/schools?territory=academy:${s.academyCode}&type=${s.type}&page=${(i % 3) + 1}`,
    `/api/v1/schools?territory=department:${s.departmentCode}&sector=public&priorityEducation=REP`,
    `/api/v1/schools?territory=FR&q=${encodeURIComponent((s.communeName ?? "").slice(0, 6))}`,
    `/api/v1/schools/${s.uai}`,
  ]);

  console.error("Recherche d'établissements, PostgreSQL…");
  const searchPg = await serverLatency({ DATABASE_URL: pgUrl }, urls);
  console.error(JSON.stringify(searchPg));
  console.error("Recherche d'établissements, PGlite…");
  const searchPglite = await serverLatency({ VIGIE_DATA_DIR: pgliteDir, DATABASE_URL: "" }, urls);
  console.error(JSON.stringify(searchPglite));

  const rows = [
    "| mesure | PGlite | PostgreSQL | objectif |",
    "|---|---|---|---|",
    `| import Annuaire national (${importPg.rows} lignes, format 2026, \`--commit\`) | ${(importPglite.ms / 1000).toFixed(1)} s · ${importPglite.rowsPerSecond} lignes/s | ${(importPg.ms / 1000).toFixed(1)} s · ${importPg.rowsPerSecond} lignes/s | < 15 s sur PGlite |`,
    `| mémoire maximale (RSS) du processus d'import (dont base ouverte, avant import) | ${importPglite.peakRssMb} Mo (${importPglite.rssBeforeMb} Mo) | ${importPg.peakRssMb} Mo (${importPg.rssBeforeMb} Mo) | < 400 Mo sur PGlite |`,
    `| ré-import du même fichier (idempotent : ${reimportPg.unchanged} inchangés, ${reimportPg.created} créés) | ${(reimportPglite.ms / 1000).toFixed(1)} s · ${reimportPglite.peakRssMb} Mo | ${(reimportPg.ms / 1000).toFixed(1)} s · ${reimportPg.peakRssMb} Mo | |`,
    `| API recherche d'établissements, 20 clients, ${searchPg.requests} requêtes : p50 / p95 / p99 | ${searchPglite.p50} / **${searchPglite.p95}** / ${searchPglite.p99} ms (${searchPglite.rps} req/s) | ${searchPg.p50} / **${searchPg.p95}** / ${searchPg.p99} ms (${searchPg.rps} req/s) | |`,
    `| erreurs HTTP pendant la charge | ${searchPglite.errors} | ${searchPg.errors} | 0 |`,
  ];
  writeBenchmarkSection(path.join(ROOT, "docs/benchmarks.md"), "territories", {
    title: "Référentiel et import de l'Annuaire (issue 2)",
    machine: machine(),
    command: "npm run bench -- territories",
    table: rows.join("\n"),
  });
  console.log(rows.join("\n"));
}
