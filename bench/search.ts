import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { writeAnnuaireCsv } from "../src/server/territories/annuaire/index.ts";
import { type DemoScale, generateDemoSchools } from "../src/server/territories/demo/generate.ts";
import { compiledImportChild } from "./compiled-child.ts";
import type { measureLatency } from "./load.ts";
import { serverLatency } from "./server.ts";

/**
 * School search by name fragment (issue 8, item 9): the directory's search box as people use
 * it — a word, the start of a word, a type and a patron, the start of a commune, accents left
 * out — against the API at the given scale, 20 concurrent clients, on both engines.
 * Goal at nation scale (60 000 schools): p95 < 150 ms on PostgreSQL, < 300 ms on PGlite.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
export const SEARCH_GOALS = { postgres: 150, pglite: 300 } as const;

export interface SearchFigures {
  scale: DemoScale;
  schools: number;
  fragments: number;
  pglite: Awaited<ReturnType<typeof measureLatency>>;
  postgres: Awaited<ReturnType<typeof measureLatency>>;
}

const fold = (s: string) =>
  s
    .normalize("NFD")
    .replace(/\p{Diacritic}/gu, "")
    .toLowerCase();

/** Search words as typed: folded (no accents), whole or cut short, alone or two together. */
export function nameFragments(names: readonly { name: string; communeName: string | null }[]): string[] {
  const sample = names.filter((_, i) => i % 97 === 0);
  return sample.flatMap((s, i) => {
    const words = fold(s.name).split(/[\s\-'’]+/);
    const last = words.at(-1) ?? "";
    const commune = fold(s.communeName ?? "");
    return [
      last,
      last.slice(0, 4),
      `${words[0]} ${last}`,
      commune.slice(0, 3 + (i % 4)),
      i % 10 === 0 ? (words[0] ?? "") : `${last.slice(0, 3)} ${commune.slice(0, 4)}`,
    ].filter((q) => q.trim() !== "");
  });
}

/** One measured import in its own process; `child` is compiledImportChild()'s file. */
export function importInChild(child: string, file: string, env: NodeJS.ProcessEnv): void {
  const res = spawnSync(process.execPath, [child, file], {
    env: { ...process.env, ...env },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (res.status !== 0) throw new Error(`import en échec : ${res.stderr}`);
}

export async function benchSearch(pgUrl: string, work: string, scale: DemoScale): Promise<SearchFigures> {
  const records = generateDemoSchools(scale);
  const file = path.join(work, `annuaire-search-${scale}.csv`);
  fs.writeFileSync(file, writeAnnuaireCsv(records, "2026"));
  const pgliteDir = path.join(work, `pglite-search-${scale}`);
  console.error(
    `Recherche par nom : ${records.length} établissements (${scale}), import PGlite et PostgreSQL…`,
  );
  const child = await compiledImportChild();
  importInChild(child, file, { VIGIE_DATA_DIR: pgliteDir, DATABASE_URL: "" });
  importInChild(child, file, { DATABASE_URL: pgUrl });
  // A server's autovacuum analyses a freshly loaded table within a minute or so; the measure starts
  // at once, so it does that part itself (PGlite's driver does it on its own, ADR 0009).
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  await client.query("analyze school");
  await client.end();

  const fragments = nameFragments(records);
  const urls = fragments.map((q) => `/api/v1/schools?q=${encodeURIComponent(q)}`);
  console.error("Recherche par nom, PostgreSQL…");
  const postgres = await serverLatency({ DATABASE_URL: pgUrl }, urls);
  console.error(JSON.stringify(postgres));
  console.error("Recherche par nom, PGlite…");
  const pglite = await serverLatency({ VIGIE_DATA_DIR: pgliteDir, DATABASE_URL: "" }, urls);
  console.error(JSON.stringify(pglite));
  return { scale, schools: records.length, fragments: fragments.length, pglite, postgres };
}

export function searchTable(f: SearchFigures): string {
  const cell = (m: SearchFigures["pglite"]) =>
    `${m.p50} / **${m.p95}** / ${m.p99} ms (${m.rps} req/s, ${m.errors} erreurs)`;
  return [
    "| mesure | PGlite | PostgreSQL | objectif |",
    "|---|---|---|---|",
    `| API recherche par fragment de nom, ${f.schools} établissements, 20 clients, ${f.postgres.requests} requêtes (${f.fragments} fragments sans accents) : p50 / p95 / p99 | ${cell(f.pglite)} | ${cell(f.postgres)} | p95 < ${SEARCH_GOALS.pglite} ms sur PGlite, < ${SEARCH_GOALS.postgres} ms sur PostgreSQL |`,
  ].join("\n");
}
