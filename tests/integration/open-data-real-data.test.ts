import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { readFileReport } from "../../src/server/imports/framework/run.ts";
import type { Profile } from "../../src/server/imports/framework/types.ts";
import { dnbProfile } from "../../src/server/imports/profiles/dnb.ts";
import { enrolmentsProfile } from "../../src/server/imports/profiles/enrolments.ts";
import { PROFILES } from "../../src/server/imports/profiles/index.ts";
import { ipsProfile } from "../../src/server/imports/profiles/ips.ts";
import { ivacProfile } from "../../src/server/imports/profiles/ivac.ts";

// Real open data of the ministry (../shared/data), present on development machines: the runner's
// reading of each file (encoding, header, every row through its profile), without a database.
const DATA = path.resolve(process.cwd(), "../shared/data");
const exists = fs.existsSync(path.join(DATA, "ips-ecoles-2021-2022.csv"));

async function read(profile: Profile, name: string) {
  const { report } = await readFileReport({
    profile,
    profiles: PROFILES,
    file: path.join(DATA, name),
    fileName: name,
    school: null,
    period: null,
    today: "2026-12-01",
  });
  return report;
}

describe.skipIf(!exists)("real open-data files of ../shared/data", () => {
  it("ips: the 32 091 écoles of France (2021-2022), every row accepted, mean IPS 102.8", async () => {
    const report = await read(ipsProfile, "ips-ecoles-2021-2022.csv");
    expect(report).toMatchObject({ refused: null, encoding: "utf-8", read: 32_091, accepted: 32_091 });
    expect(report.rejectedTotal).toBe(0);
    expect(report.duplicatesTotal).toBe(0);
    expect(report.values).toBe(32_091);
    expect(report.summary).toMatchObject({ schools: 32_091, periods: 1, ipsSchools: 32_091, ipsMean: 102.8 });
  });

  it("enrolments: the écoles of Ille-et-Vilaine (rentrées 2019 to 2022), 9 values a row, the files' sums hold", async () => {
    const report = await read(enrolmentsProfile, "effectifs-ecoles-35-2022.csv");
    expect(report).toMatchObject({ refused: null, encoding: "utf-8-bom", read: 2704, accepted: 2704 });
    expect(report.rejectedTotal).toBe(0);
    expect(report.values).toBe(2704 * 9);
    expect(report.summary).toMatchObject({ schools: 680, periods: 4, pupils: 438_530 });
  });

  it("enrolments: the collèges and lycées of Ille-et-Vilaine (2015-2016 to 2019-2020), 8 rows with a wrong UAI check letter", async () => {
    const report = await read(enrolmentsProfile, "effectifs-second-degre-35.csv");
    expect(report).toMatchObject({ refused: null, read: 823, accepted: 815, rejectedTotal: 8 });
    expect(report.rejected.every((r) => r.column === "Numero_d_etablissement")).toBe(true);
    expect(report.rejected[0]).toEqual({
      line: 52,
      column: "Numero_d_etablissement",
      reason: "UAI « 0351122O » invalide : la lettre de contrôle devrait être E",
    });
    expect(report.summary).toMatchObject({ schools: 168, periods: 5, pupils: 496_542 });
  });

  it("ivac: the collèges of France, sessions 2022 and 2023, every row accepted", async () => {
    const report = await read(ivacProfile, "indicateurs-valeur-ajoutee-colleges-2022-2023.csv");
    expect(report).toMatchObject({ refused: null, read: 13_234, accepted: 13_234, rejectedTotal: 0 });
    expect(report.values).toBe(178_497);
    expect(report.summary).toMatchObject({ schools: 6693, periods: 2, candidates: 1_546_862 });
  });

  it("a file given to the wrong open-data profile is refused with the profile it looks like", async () => {
    const report = await read(ipsProfile, "indicateurs-valeur-ajoutee-colleges-2022-2023.csv");
    expect(report.refused).toContain("utilisez le profil ivac");
    expect(report.read).toBe(0);
    const dnb = await read(dnbProfile, "ips-ecoles-2021-2022.csv");
    expect(dnb.refused).toContain("utilisez le profil ips");
    expect(dnb.refused).toContain("« Inscrits »");
  });
});
