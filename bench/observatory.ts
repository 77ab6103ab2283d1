import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import { sql } from "kysely";
import { chromium } from "playwright-core";
import { loadDemoTerritoryValues, loadDemoValues } from "../src/server/indicators/demo-values.ts";
import { processPendingRollups, rollupFull } from "../src/server/indicators/engine.ts";
import { importValues } from "../src/server/indicators/import-values.ts";
import { openDatabase } from "../src/server/platform/db.ts";
import { MIGRATIONS } from "../src/server/schema.ts";
import { indicatorPageReadyMs } from "../tests/e2e/support/indicator-page.ts";
import { CHROMIUM_ARGS } from "../tests/e2e/support/vigie.ts";
import { startServer } from "./server.ts";

/**
 * The observatory's figures (issue 4), on the demo generator's nation (≈ 60 000 schools):
 * - full rebuild of every aggregate on PostgreSQL, from ≈ 40 series × 3 school years + 12 months ×
 *   10 usage series per school;
 * - incremental refresh after importing the values of 1 000 schools of one académie;
 * - indicator API p95 with 50 concurrent clients (autocannon): PostgreSQL at nation scale,
 *   PGlite at académie scale;
 * - an indicator page ready in Chromium (headline value visible), on localhost.
 */

const ROOT = path.resolve(import.meta.dirname, "..");
const vigie = path.join(ROOT, "bin/vigie.mjs");

function run(args: string[], env: NodeJS.ProcessEnv): string {
  const res = spawnSync(process.execPath, [vigie, ...args], {
    env: { ...process.env, LOG_LEVEL: "warn", ...env },
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (res.status !== 0) throw new Error(`vigie ${args.join(" ")} : ${res.stderr}`);
  return res.stdout;
}

/** autocannon with every response time kept, so the p95 is exact (autocannon reports p97.5). */
async function cannon(baseUrl: string, paths: readonly string[], connections: number, amount: number) {
  const times: number[] = [];
  let errors = 0;
  let i = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: baseUrl,
        connections,
        amount,
        requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] as string }) }],
      },
      (error, res) => (error ? reject(error) : resolve(res)),
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      times.push(ms);
      if (status >= 400) errors++;
    });
  });
  times.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round((times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0) * 10) / 10;
  return {
    requests: times.length,
    errors: errors + result.errors + result.non2xx,
    p50: pct(0.5),
    p95: pct(0.95),
    p99: pct(0.99),
    rps: Math.round(result.requests.average),
  };
}

/** A realistic mix of indicator requests over the territories present. */
async function indicatorPaths(baseUrl: string): Promise<string[]> {
  const catalogue = (await (await fetch(`${baseUrl}/api/v1/indicators`)).json()) as {
    items: { code: string; periods: string[] }[];
  };
  const codes = catalogue.items.filter((i) => i.periods.length > 0).map((i) => i.code);
  const academies = (
    (await (await fetch(`${baseUrl}/api/v1/territories/academies`)).json()) as { items: { code: string }[] }
  ).items.map((a) => a.code);
  const nation = (await (await fetch(`${baseUrl}/api/v1/territories/nation/FR`)).json()) as {
    children: { code: string }[];
  };
  const departments: string[] = [];
  for (const a of academies.slice(0, 30)) {
    const t = (await (await fetch(`${baseUrl}/api/v1/territories/academy/${a}`)).json()) as {
      children?: { code: string }[];
    };
    departments.push(...(t.children ?? []).map((c) => c.code));
  }
  const territories = [
    "nation:FR",
    ...nation.children.map((r) => `academicRegion:${r.code}`),
    ...academies.map((a) => `academy:${a}`),
    ...departments.map((d) => `department:${d}`),
  ];
  const paths: string[] = [];
  for (let i = 0; i < 600; i++) {
    const code = codes[(i * 7) % codes.length] as string;
    const territory = territories[(i * 13) % territories.length] as string;
    paths.push(
      i % 4 === 3
        ? `/api/v1/indicators/${code}/dashboard?territory=${territory}`
        : `/api/v1/indicators/${code}/values?territory=${territory}&children=true${i % 5 === 0 ? "&group=sector=public" : ""}`,
    );
  }
  return paths;
}

export async function apiLatency(env: NodeJS.ProcessEnv) {
  const server = await startServer(env);
  try {
    const paths = await indicatorPaths(server.url);
    await cannon(server.url, paths, 10, 500); // warm-up
    return await cannon(server.url, paths, 50, 5000);
  } finally {
    server.child.kill("SIGTERM");
  }
}

export async function pageReady(env: NodeJS.ProcessEnv, territory: string) {
  const server = await startServer(env);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
  try {
    const page = await browser.newPage();
    const path1 = `/indicateurs/computers_per_100_pupils?territoire=${territory}`;
    await indicatorPageReadyMs(page, server.url + path1); // cold: assets into the cache
    const times: number[] = [];
    for (const code of [
      "computers_per_100_pupils",
      "ent_usage_rate",
      "pix_certification_rate",
      "self_assessment_schools_rate",
      "trainee_days",
    ]) {
      times.push(
        await indicatorPageReadyMs(page, `${server.url}/indicateurs/${code}?territoire=${territory}`),
      );
    }
    times.sort((a, b) => a - b);
    return { median: times[Math.floor(times.length / 2)] as number, max: times.at(-1) as number };
  } finally {
    await browser.close();
    server.child.kill("SIGTERM");
  }
}

export interface ObservatoryFigures {
  schools: number;
  values: number;
  valuesMs: number;
  rollupMs: number;
  /** The plain query a PostgreSQL user would write for the same sums, timed in the same run. */
  groupingSets: { ms: number; rows: number };
  rollupRows: number;
  suppressed: number;
  incremental: {
    lines: number;
    importMs: number;
    refreshMs: number;
    refreshNationalMs: number;
    academy: string;
  };
  apiPg: Awaited<ReturnType<typeof cannon>>;
  apiPglite: Awaited<ReturnType<typeof cannon>>;
  pglite: { schools: number; setupMs: number };
  page: { median: number; max: number };
}

export async function benchObservatory(pgUrl: string, work: string): Promise<ObservatoryFigures> {
  // Nation: schools through the Annuaire importer, then values and the roll-up in this process.
  run(["demo", "--scale", "nation", "--no-values", "--json"], { DATABASE_URL: pgUrl });
  const handle = await openDatabase({ dataDir: ":memory:", databaseUrl: pgUrl }, { migrations: MIGRATIONS });
  const db = handle.db;
  const schools = Number(
    (
      await db
        .selectFrom("school")
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .where("status", "=", "open")
        .executeTakeFirstOrThrow()
    ).n,
  );
  console.error(`Observatoire : ${schools} établissements ouverts ; valeurs…`);
  let t = performance.now();
  const values = await loadDemoValues(db, {
    onProgress: (d, n) => d % 10 === 0 && console.error(`  séries ${d}/${n}`),
  });
  await loadDemoTerritoryValues(db);
  const valuesMs = performance.now() - t;
  console.error(`  ${values} valeurs en ${(valuesMs / 1000).toFixed(0)} s ; consolidation complète…`);
  t = performance.now();
  const full = await rollupFull(db, {
    onProgress: (d, n, l) => d % 10 === 0 && console.error(`  ${d}/${n} ${l}`),
  });
  const rollupMs = performance.now() - t;
  console.error(`  ${full.rows} agrégats en ${(rollupMs / 1000).toFixed(0)} s`);
  const groupingSets = await groupingSetsQuery(db);
  console.error(
    `  requête GROUPING SETS équivalente : ${groupingSets.rows} lignes en ${(groupingSets.ms / 1000).toFixed(0)} s`,
  );

  // Incremental: 1 000 schools of one académie send new yearly values (a DANE's import).
  const academy = "16";
  const sample = await db
    .selectFrom("school")
    .select("uai")
    .where("academy_code", "=", academy)
    .where("status", "=", "open")
    .orderBy("uai")
    .limit(1000)
    .execute();
  const elements = [
    "computers",
    "interactive_boards",
    "school_ent_activated",
    "ent_accounts",
    "ent_active_users",
    "etwinning_projects",
    "eac_projects",
    "eac_projects_with_digital",
    "school_self_assessment_done",
    "school_teachers_trained_digital",
  ];
  const lines = ["uai;element;periode;ventilation;valeur"];
  sample.forEach((s, i) => {
    for (const [k, e] of elements.entries()) {
      const value = e.startsWith("school_") ? (i + k) % 2 : ((i * 7 + k * 3) % 97) + 1;
      lines.push(`${s.uai};${e};2024-2025;;${value}`);
    }
  });
  const file = Buffer.from(lines.join("\n"));
  t = performance.now();
  const report = await importValues(db, file, { commit: true, fileName: "bench.csv" });
  const importMs = performance.now() - t;
  t = performance.now();
  await processPendingRollups(db);
  const refreshMs = performance.now() - t;
  console.error(
    `  incrémental : ${report.written} valeurs importées en ${importMs.toFixed(0)} ms, agrégats en ${refreshMs.toFixed(0)} ms`,
  );
  // The same schools' pupils: the denominator of an indicator compared with the national value
  // (share of schools above the national connections per pupil), recomputed for every académie.
  const pupilsFile = Buffer.from(
    [
      "uai;element;periode;ventilation;valeur",
      ...sample.map((s, i) => `${s.uai};pupils_enrolled;2024-2025;;${200 + (i % 300)}`),
    ].join("\n"),
  );
  await importValues(db, pupilsFile, { commit: true, fileName: "bench-effectifs.csv" });
  t = performance.now();
  await processPendingRollups(db);
  const refreshNationalMs = performance.now() - t;
  console.error(`  incrémental (effectifs) : agrégats en ${refreshNationalMs.toFixed(0)} ms`);
  await handle.close();

  console.error("API des indicateurs, PostgreSQL (nation)…");
  const apiPg = await apiLatency({ DATABASE_URL: pgUrl });
  console.error(JSON.stringify(apiPg));

  console.error("Page d'indicateur dans Chromium…");
  const page = await pageReady({ DATABASE_URL: pgUrl }, "nation:FR");
  console.error(JSON.stringify(page));

  // Académie scale on PGlite: the demo (schools and values) in a data directory.
  const dir = path.join(work, "pglite-academy");
  t = performance.now();
  const demo = JSON.parse(
    run(["demo", "--scale", "academy", "--json"], { VIGIE_DATA_DIR: dir, DATABASE_URL: "" }),
  ) as {
    created: number;
  };
  const setupMs = performance.now() - t;
  console.error("API des indicateurs, PGlite (académie)…");
  const apiPglite = await apiLatency({ VIGIE_DATA_DIR: dir, DATABASE_URL: "" });
  console.error(JSON.stringify(apiPglite));
  fs.rmSync(dir, { recursive: true, force: true });

  return {
    schools,
    values,
    valuesMs,
    rollupMs,
    groupingSets,
    rollupRows: full.rows,
    suppressed: full.cellsSuppressed,
    incremental: { lines: report.accepted, importMs, refreshMs, refreshNationalMs, academy },
    apiPg,
    apiPglite,
    pglite: { schools: demo.created, setupMs },
    page,
  };
}

/**
 * The yardstick of the full roll-up (issue 8): one GROUPING SETS query over the same join of
 * school values and schools, for the same levels (nation, région, académie, département,
 * district, and département × sector / éducation prioritaire / type), written into a temporary
 * table so that every row is computed. It sums and counts; it does not compute coverage nor
 * confidentiality, which the roll-up also does.
 */
async function groupingSetsQuery(db: Awaited<ReturnType<typeof openDatabase>>["db"]) {
  const t = performance.now();
  await sql`create temp table bench_grouping_sets as
    select v.data_element_code, v.period, v.disaggregation,
      s.academic_region_code, s.academy_code, s.department_code,
      coalesce(s.circonscription_code, s.bassin_code) as district_code,
      s.sector, s.priority_education, s.type,
      sum(v.value) as total, count(*) as schools, max(v.value) as largest
    from data_value v join school s on s.id = v.school_id
    where s.status = 'open'
    group by v.data_element_code, v.period, v.disaggregation, grouping sets (
      (), (s.academic_region_code), (s.academy_code), (s.department_code),
      (s.department_code, coalesce(s.circonscription_code, s.bassin_code)),
      (s.department_code, s.sector), (s.department_code, s.priority_education), (s.department_code, s.type)
    )`.execute(db);
  const ms = performance.now() - t;
  const { rows } = await sql<{ n: string }>`select count(*)::text as n from bench_grouping_sets`.execute(db);
  await sql`drop table bench_grouping_sets`.execute(db);
  return { ms, rows: Number(rows[0]?.n ?? 0) };
}

export function observatoryTable(f: ObservatoryFigures): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    "| mesure | résultat | objectif |",
    "|---|---|---|",
    `| valeurs de démonstration, nation (${f.schools} établissements ouverts) : ${f.values.toLocaleString("fr-FR")} valeurs (≈ 40 séries × 3 années scolaires + 12 mois × 10 séries d'usage) | ${s(f.valuesMs)} | |`,
    `| consolidation complète (\`vigie rollup --full\`), PostgreSQL : ${f.rollupRows.toLocaleString("fr-FR")} agrégats, ${f.suppressed.toLocaleString("fr-FR")} cellules en secret statistique | **${s(f.rollupMs)}** | < 5 min |`,
    `| même run : une requête \`GROUPING SETS\` sur la même jointure valeurs × établissements (nation, région, académie, département, district, département × secteur / éducation prioritaire / type ; sommes seules, sans couverture ni secret statistique) : ${f.groupingSets.rows.toLocaleString("fr-FR")} lignes | ${s(f.groupingSets.ms)} — rapport consolidation / requête : **${(f.rollupMs / f.groupingSets.ms).toFixed(2)}×** | ≤ 1× |`,
    `| import de ${f.incremental.lines.toLocaleString("fr-FR")} valeurs (1 000 établissements de l'académie ${f.incremental.academy}), PostgreSQL | ${s(f.incremental.importMs)} | |`,
    `| consolidation incrémentale après cet import | **${s(f.incremental.refreshMs)}** | < 10 s |`,
    `| consolidation incrémentale après l'import des effectifs des mêmes 1 000 établissements (dénominateur d'indicateurs comparés à la valeur nationale : ceux-ci sont recalculés pour toutes les académies) | **${s(f.incremental.refreshNationalMs)}** | < 10 s |`,
    `| API indicateurs, PostgreSQL, nation, 50 clients autocannon, ${f.apiPg.requests} requêtes : p50 / p95 / p99 | ${f.apiPg.p50} / **${f.apiPg.p95}** / ${f.apiPg.p99} ms (${f.apiPg.rps} req/s, ${f.apiPg.errors} erreurs) | p95 < 200 ms |`,
    `| API indicateurs, PGlite, académie (${f.pglite.schools} établissements), 50 clients, ${f.apiPglite.requests} requêtes : p50 / p95 / p99 | ${f.apiPglite.p50} / **${f.apiPglite.p95}** / ${f.apiPglite.p99} ms (${f.apiPglite.rps} req/s, ${f.apiPglite.errors} erreurs) | p95 < 500 ms |`,
    `| page d'un indicateur (nation) prête dans Chromium, valeur affichée : médiane / max sur 5 indicateurs | **${f.page.median}** / ${f.page.max} ms | < 2 s |`,
  ].join("\n");
}
