import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { CompetencesDashboard } from "../src/contracts/competences.ts";
import { CRCN_COMPETENCES } from "../src/contracts/crcn.ts";
import { buildApp } from "../src/server/app.ts";
import { hashToken, newSecret } from "../src/server/identity/index.ts";
import { commitFile, PROFILES } from "../src/server/imports/index.ts";
import { processPendingRollups } from "../src/server/indicators/engine.ts";
import { CLI_ACTOR } from "../src/server/platform/audit.ts";
import { loadConfig } from "../src/server/platform/config.ts";
import { openDatabase } from "../src/server/platform/db.ts";
import type { DatabaseHandle } from "../src/server/platform/index.ts";
import { MIGRATIONS } from "../src/server/schema.ts";
import { generateDemoSchools } from "../src/server/territories/demo/generate.ts";
import { loadDemo } from "../src/server/territories/demo/load.ts";
import { seedReferential } from "../src/server/territories/seed.ts";
import { pixProfilesHeader } from "../tests/fixtures/imports/pix-profiles-export.ts";
import { makeUser } from "../tests/helpers/identity.ts";
import { peakRssMb, vigieCommand } from "./cli.ts";

/**
 * Pix imports (issue 10, figures): a Pix Orga « collecte de profils » export of N participants
 * (1 000 000 by default) committed by `vigie import pix-profiles … --school UAI --commit` on PGlite
 * and on PostgreSQL, each in its own process (rows per second, peak RSS by GNU time); and the
 * time from the end of a commit to the figure on the competences dashboard API (the roll-up the
 * commit job queues, then the read), in one process on PGlite.
 */

export interface PixFigures {
  readonly files: readonly {
    engine: string;
    rows: number;
    fileMb: number;
    seconds: number;
    rowsPerSecond: number;
    peakRssMb: number;
  }[];
  readonly dashboard: { rows: number; commitMs: number; toDashboardMs: number; meanScore: number | null };
  readonly load: string;
}

const CLASSES = ["3A", "3B", "3C", "3D", "TG1", "TG2", "TG3", "5A"];

/** Participant i: levels from 0 to 3 by competence, pix consistent with them; every 7th has not shared. */
function participant(i: number): string {
  const klass = CLASSES[i % CLASSES.length] as string;
  const head = ["Collège du banc", "7001", "BANC0001", "Collecte de rentrée", `Nom${i}`, `Prénom${i}`, klass];
  if (i % 7 === 6) return [...head, "Non", ...Array(3 + 2 * CRCN_COMPETENCES.length).fill("NA")].join(";");
  const levels = CRCN_COMPETENCES.map((_, k) => (i + k) % 4);
  const pix = levels.map((l, k) => l * 8 + ((i + k) % 8));
  const total = pix.reduce((s, p) => s + p, 0);
  const atLevel1 = levels.filter((l) => l >= 1).length;
  return [
    ...head,
    "Oui",
    "14/10/2025 10:12",
    String(total),
    atLevel1 >= 5 ? "Oui" : "Non",
    String(atLevel1),
    ...levels.flatMap((l, k) => [String(l), String(pix[k])]),
  ].join(";");
}

export function writePixFile(file: string, rows: number): void {
  const header = pixProfilesHeader().join(";");
  const fd = fs.openSync(file, "w");
  let buffer = `\uFEFF${header}\r\n`;
  for (let i = 0; i < rows; i++) {
    buffer += `${participant(i)}\r\n`;
    if (buffer.length > 1 << 20) {
      fs.writeSync(fd, buffer);
      buffer = "";
    }
  }
  fs.writeSync(fd, buffer);
  fs.closeSync(fd);
}

async function benchFile(engine: string, env: NodeJS.ProcessEnv, file: string, uai: string, rows: number) {
  const demo = vigieCommand(["demo", "--scale", "academy", "--no-values"], env);
  if (demo.status !== 0) throw new Error(`démonstration en échec : ${demo.stderr}`);
  const started = performance.now();
  const run = vigieCommand(
    ["import", "pix-profiles", file, "--school", uai, "--commit", "--json"],
    env,
    true,
  );
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`import en échec : ${run.stderr.slice(-2000)}`);
  const report = JSON.parse(run.stdout) as { read: number; committed: boolean };
  if (!report.committed || report.read !== rows)
    throw new Error(`import incomplet : ${run.stdout.slice(0, 500)}`);
  return {
    engine,
    rows,
    fileMb: fs.statSync(file).size / 1e6,
    seconds,
    rowsPerSecond: Math.round(rows / seconds),
    peakRssMb: peakRssMb(run.stderr),
  };
}

/** A session of the school's head, opened straight in the base: the school's own figures are theirs to read. */
async function headSession(db: DatabaseHandle["db"], uai: string): Promise<string> {
  const user = await makeUser(db, "principal.banc@vigie.test", [["school-head", uai]]);
  const cookie = newSecret();
  await db
    .insertInto("user_session")
    .values({
      id_hash: hashToken(cookie),
      user_id: user.id,
      csrf_token: newSecret(),
      auth_method: "password",
      expires_at: new Date(Date.now() + 3_600_000),
    })
    .execute();
  return cookie;
}

/** From the end of a commit to the school's mean score on `GET /api/v1/competences/dashboard`, read by its head. */
async function benchDashboard(work: string, uai: string, rows: number): Promise<PixFigures["dashboard"]> {
  const file = path.join(work, "pix-dashboard.csv");
  writePixFile(file, rows);
  const handle = await openDatabase(
    { dataDir: path.join(work, "pix-dashboard-base"), databaseUrl: undefined },
    { migrations: MIGRATIONS },
  );
  await seedReferential(handle.db);
  await loadDemo(handle.db, "academy");
  const config = {
    ...loadConfig({ LOG_LEVEL: "warn" }),
    dataDir: path.join(work, "pix-dashboard-base"),
    databaseUrl: undefined,
  };
  const app = await buildApp(handle, config);
  const school = await handle.db
    .selectFrom("school")
    .select(["id", "uai", "academy_code", "type"])
    .where("uai", "=", uai)
    .executeTakeFirstOrThrow();
  const profile = PROFILES.find((p) => p.code === "pix-profiles");
  if (!profile) throw new Error("profil pix-profiles absent");
  const t0 = performance.now();
  await commitFile(handle.db, {
    profile,
    profiles: PROFILES,
    file,
    fileName: "pix-dashboard.csv",
    school: { id: String(school.id), uai: school.uai, academyCode: school.academy_code, type: school.type },
    period: null,
    actor: CLI_ACTOR,
  });
  const t1 = performance.now();
  // What the commit job queues right after the values are in: the roll-up, then the page's read.
  await processPendingRollups(handle.db);
  const res = await app.inject({
    method: "GET",
    url: `/api/v1/competences/dashboard?territory=school:${uai}&level=troisieme`,
    headers: { cookie: `vigie_session=${await headSession(handle.db, uai)}` },
  });
  const t2 = performance.now();
  const body = res.json() as CompetencesDashboard;
  const meanScore = body.headlines?.find((h) => h.key === "meanScore")?.cell.value ?? null;
  await app.close();
  await handle.close();
  return { rows, commitMs: Math.round(t1 - t0), toDashboardMs: Math.round(t2 - t1), meanScore };
}

export async function benchPix(
  pgUrl: string,
  work: string,
  options: { rows?: number } = {},
): Promise<PixFigures> {
  const load = `charge moyenne au départ ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ")}`;
  const uai = generateDemoSchools("academy").find((s) => s.type === "college")?.uai;
  if (!uai) throw new Error("aucun collège dans la démonstration");
  const rows = options.rows ?? 1_000_000;
  const file = path.join(work, "pix-1m.csv");
  writePixFile(file, rows);
  const files = [];
  for (const [engine, env] of [
    ["PGlite", { ...process.env, VIGIE_DATA_DIR: path.join(work, "pix-pglite"), DATABASE_URL: "" }],
    ["PostgreSQL", { ...process.env, VIGIE_DATA_DIR: path.join(work, "pix-pg"), DATABASE_URL: pgUrl }],
  ] as const) {
    console.error(`Collecte Pix de ${rows} participants sur ${engine}…`);
    const figures = await benchFile(engine, env, file, uai, rows);
    console.error(JSON.stringify(figures));
    files.push(figures);
  }
  console.error("Du commit au tableau de bord des compétences (PGlite)…");
  const dashboard = await benchDashboard(work, uai, 20_000);
  console.error(JSON.stringify(dashboard));
  return { files, dashboard, load };
}

export function pixTable(f: PixFigures): string {
  const n = (x: number) => x.toLocaleString("fr-FR");
  return [
    "| mesure | résultat | objectif |",
    "|---|---|---|",
    ...f.files.map(
      (x) =>
        `| collecte de profils Pix de ${n(x.rows)} participants (${x.fileMb.toFixed(0)} Mo), \`vigie import pix-profiles --commit\`, ${x.engine} | **${n(x.rowsPerSecond)} lignes/s** (${x.seconds.toFixed(1)} s), pic RSS ${n(x.peakRssMb)} Mo | ≥ ${x.engine === "PGlite" ? "40 000" : "100 000"} lignes/s, < 300 Mo |`,
    ),
    `| de la fin du commit (${n(f.dashboard.rows)} participants, ${n(f.dashboard.commitMs)} ms) au score moyen de l'établissement, lu par son chef, sur \`GET /api/v1/competences/dashboard\` (consolidation puis lecture), PGlite | **${n(f.dashboard.toDashboardMs)} ms** (score moyen lu : ${f.dashboard.meanScore ?? "aucun"}) | < 10 s |`,
    "",
    `Machine : ${f.load}.`,
  ].join("\n");
}
