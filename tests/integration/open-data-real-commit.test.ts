import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commitFile, type ImportReport } from "../../src/server/imports/framework/run.ts";
import type { Profile } from "../../src/server/imports/framework/types.ts";
import { enrolmentsProfile } from "../../src/server/imports/profiles/enrolments.ts";
import { PROFILES } from "../../src/server/imports/profiles/index.ts";
import { ipsProfile } from "../../src/server/imports/profiles/ips.ts";
import { processPendingRollups } from "../../src/server/indicators/engine.ts";
import { typeGroupOf } from "../../src/server/indicators/groups.ts";
import { NO_ROADMAPS } from "../../src/server/indicators/roadmap-links.ts";
import { indicatorDashboard, keyIndicators } from "../../src/server/indicators/service.ts";
import { writeSchoolValues } from "../../src/server/indicators/store.ts";
import type { DatabaseHandle } from "../../src/server/platform/db.ts";
import { CLI_ACTOR } from "../../src/server/platform/index.ts";
import { importAnnuaire } from "../../src/server/territories/annuaire/index.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";

// Real open data (../shared/data): the Annuaire of Ille-et-Vilaine, then the IPS of every école
// of France and the écoles' enrolments of Ille-et-Vilaine committed through the framework; the
// similar-IPS peers of a real école checked against the file.
const DATA = path.resolve(process.cwd(), "../shared/data");
const exists = fs.existsSync(path.join(DATA, "ips-ecoles-2021-2022.csv"));
const IPS_FILE = "ips-ecoles-2021-2022.csv";
const ENROLMENTS_FILE = "effectifs-ecoles-35-2022.csv";

function commit(db: DatabaseHandle["db"], profile: Profile, name: string): Promise<ImportReport> {
  return commitFile(db, {
    profile,
    profiles: PROFILES,
    file: path.join(DATA, name),
    fileName: name,
    school: null,
    period: null,
    today: "2026-12-01",
    actor: CLI_ACTOR,
  });
}

/** IPS of Ille-et-Vilaine's écoles, read from the file itself (the test's own reading). */
function ipsOf35(): Map<string, number> {
  const lines = fs.readFileSync(path.join(DATA, IPS_FILE), "utf8").split(/\r?\n/).slice(1);
  const out = new Map<string, number>();
  for (const line of lines) {
    const cells = line.split(";");
    if (cells[2] === "035") out.set(cells[4] as string, Number(cells[9]));
  }
  return out;
}

describe.skipIf(!exists)(`real open data committed on ${testEngine}`, () => {
  let handle: DatabaseHandle;
  let ips: ImportReport;
  let enrolments: ImportReport;
  let schools: {
    id: string;
    uai: string;
    academy_code: string;
    type: string;
    sector: string;
    priority_education: string | null;
  }[];
  beforeAll(async () => {
    handle = await openTestDatabase();
    await importAnnuaire(handle.db, fs.readFileSync(path.join(DATA, "annuaire-education-35-2023.csv")), {
      commit: true,
      fileName: "annuaire-education-35-2023.csv",
    });
    const timed = async (profile: Profile, name: string) => {
      const started = performance.now();
      const report = await commit(handle.db, profile, name);
      const s = (performance.now() - started) / 1000;
      console.info(
        `${profile.code} --commit de ${name} : ${report.read} lignes, ${report.written} valeurs écrites en ${s.toFixed(1)} s (${Math.round(report.read / s)} lignes/s)`,
      );
      return report;
    };
    ips = await timed(ipsProfile, IPS_FILE);
    enrolments = await timed(enrolmentsProfile, ENROLMENTS_FILE);
    schools = await handle.db
      .selectFrom("school")
      .select(["id", "uai", "academy_code", "type", "sector", "priority_education"])
      .where("status", "=", "open")
      .execute();
    await processPendingRollups(handle.db);
  }, 300_000);
  afterAll(async () => handle?.close());

  it("writes the IPS of the écoles Vigie knows, counts the others as unknown", async () => {
    const known = new Set(schools.map((s) => s.uai));
    const inFile = ipsOf35();
    const found = [...inFile.keys()].filter((u) => known.has(u)).length;
    expect(ips).toMatchObject({ committed: true, read: 32_091, accepted: 32_091, rejectedTotal: 0 });
    expect(ips.written).toBe(found);
    expect(ips.unknownUaiTotal).toBe(32_091 - found);
    expect(found).toBeGreaterThan(500);
    // The département's mean IPS is the simple mean of its écoles' IPS.
    const mean = await handle.db
      .selectFrom("indicator_aggregate")
      .select(["value", "schools_reporting"])
      .where("indicator_code", "=", "ips_mean")
      .where("period", "=", "2021-2022")
      .where("node_level", "=", "department")
      .where("node_code", "=", "35")
      .where("grp", "=", "")
      .where("disaggregation", "=", "")
      .executeTakeFirstOrThrow();
    const values = [...inFile].filter(([u]) => known.has(u)).map(([, v]) => v);
    expect(mean.schools_reporting).toBe(found);
    expect(mean.value).toBeCloseTo(values.reduce((s, v) => s + v, 0) / values.length, 6);
  });

  it("writes the enrolments by level; the same file again writes nothing", async () => {
    expect(enrolments).toMatchObject({ committed: true, read: 2704, accepted: 2704, rejectedTotal: 0 });
    expect(enrolments.written).toBeGreaterThan(0);
    const again = await commit(handle.db, enrolmentsProfile, ENROLMENTS_FILE);
    expect(again.alreadyImported).toBe(true);
    expect(again.written).toBe(0);
  });

  it("compares a real école with the écoles of its type within ±5 IPS points (Σ/Σ over them)", async () => {
    const inFile = ipsOf35();
    // Computers for every école with an IPS (the observatory's numerator; the pupils are real).
    const withIps = schools.filter((s) => inFile.has(s.uai));
    const computers = (uai: string) => 5 + (Number(uai.slice(3, 7)) % 40);
    await writeSchoolValues(
      handle.db,
      withIps.map((s) => ({
        schoolId: s.id,
        academyCode: s.academy_code,
        dataElement: "computers",
        period: "2022-2023",
        value: computers(s.uai),
      })),
      { source: "api" },
    );
    await processPendingRollups(handle.db);
    const pupils = new Map(
      (
        await handle.db
          .selectFrom("data_value")
          .select(["school_id", "value"])
          .where("data_element_code", "=", "pupils_enrolled")
          .where("period", "=", "2022-2023")
          .where("disaggregation", "=", "")
          .execute()
      ).map((r) => [r.school_id, r.value]),
    );
    const self = withIps.find((s) => pupils.has(s.id)) as (typeof withIps)[number];
    const group = (s: (typeof schools)[number]) =>
      typeGroupOf({ type: s.type, sector: s.sector, priority: s.priority_education });
    const own = inFile.get(self.uai) as number;
    const peers = withIps.filter(
      (s) =>
        s.id !== self.id &&
        group(s) === group(self) &&
        Math.abs((inFile.get(s.uai) as number) - own) <= 5 + 1e-9 &&
        pupils.has(s.id),
    );
    const num = peers.reduce((sum, s) => sum + computers(s.uai), 0);
    const den = peers.reduce((sum, s) => sum + (pupils.get(s.id) as number), 0);
    const started = performance.now();
    const dashboard = await indicatorDashboard(
      handle.db,
      null,
      "computers_per_100_pupils",
      { territory: `school:${self.uai}`, period: "2022-2023", group: "" },
      NO_ROADMAPS,
    );
    console.info(
      `Pairs d'IPS voisin d'une école réelle (${peers.length} pairs) : tableau de bord en ${Math.round(performance.now() - started)} ms`,
    );
    expect(peers.length).toBeGreaterThanOrEqual(5);
    expect(dashboard.comparisons.ipsPeers).toMatchObject({
      ipsPeriod: "2021-2022",
      peers: peers.length,
      status: "published",
      ips: null, // the public does not see a school's own IPS
    });
    expect(dashboard.comparisons.ipsPeers?.reference).toBeCloseTo((num / den) * 100, 9);
    const keyStarted = performance.now();
    const key = await keyIndicators(handle.db, null, `school:${self.uai}`, "2022-2023", NO_ROADMAPS);
    console.info(
      `Indicateurs clés de l'école (${key.items.length}) avec leurs pairs d'IPS voisin en ${Math.round(performance.now() - keyStarted)} ms`,
    );
    const item = key.items.find((i) => i.indicator.code === "computers_per_100_pupils");
    expect(item?.ipsPeers?.reference).toBeCloseTo((num / den) * 100, 9);
  });
});
