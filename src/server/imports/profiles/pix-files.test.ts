import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readFileReport } from "../framework/run.ts";
import type { Profile } from "../framework/types.ts";
import { PROFILES } from "./index.ts";
import { COLLEGE, TODAY } from "./pix-test-kit.ts";

/**
 * The Pix fixtures read end to end by the framework's own reader and header matching (bytes,
 * BOM, `;`, quotes, formula guard, CRLF), without a database: what a dry run reports.
 */

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../../../tests/fixtures/imports/${name}`, import.meta.url));
const profile = (code: string) => PROFILES.find((p) => p.code === code) as Profile;

async function read(code: string, file: string, period: string | null = null) {
  return readFileReport({
    profile: profile(code),
    profiles: PROFILES,
    file: fixture(file),
    fileName: file,
    school: COLLEGE,
    period,
    today: TODAY,
  });
}

const NAMES = [
  "Martin",
  "Léa",
  "Bernard",
  "Hugo",
  "Petit",
  "Chloé",
  "Durand",
  "Inès",
  "Lefebvre",
  "Roux",
  "Jules",
  "12/03/2011",
];

describe("Pix files through the framework's reader", () => {
  it("pix-profiles: 7 rows read, 6 accepted, 1 duplicate, the summary", async () => {
    const { report } = await read("pix-profiles", "pix-profiles-college.csv");
    expect(report.refused).toBeNull();
    expect([report.read, report.accepted, report.rejectedTotal, report.duplicatesTotal]).toEqual([
      7, 6, 0, 1,
    ]);
    expect(report.summary).toEqual({ participants: 6, shared: 5, certifiable: 3, classes: 3, campaigns: 1 });
    expect(report.values).toBeGreaterThan(0);
    const out = JSON.stringify(report);
    for (const n of NAMES) expect(out).not.toContain(n);
  });

  it("pix-profiles, older header without class", async () => {
    const { report } = await read("pix-profiles", "pix-profiles-2021-old-header.csv");
    expect([report.read, report.accepted, report.rejectedTotal]).toEqual([3, 3, 0]);
    expect(report.summary).toMatchObject({ participants: 3, shared: 2, certifiable: 1 });
  });

  it("pix-assessment and pix-certification", async () => {
    const a = (await read("pix-assessment", "pix-assessment-college.csv")).report;
    expect([a.read, a.accepted, a.rejectedTotal]).toEqual([4, 4, 0]);
    expect(a.summary).toMatchObject({ participants: 4, shared: 3, withStage: 3 });
    const c = (await read("pix-certification", "pix-certification-3e.csv")).report;
    expect([c.read, c.accepted, c.rejectedTotal, c.duplicatesTotal]).toEqual([7, 6, 0, 1]);
    expect(c.summary).toMatchObject({ candidates: 6, validated: 3 });
    for (const n of NAMES) expect(JSON.stringify([a, c])).not.toContain(n);
  });

  it("a Pix file given to the wrong Pix profile is refused, naming the right one", async () => {
    const { report } = await read("pix-profiles", "pix-certification-3e.csv");
    expect(report.refused).toContain("pix-certification");
    expect(report.read).toBe(0);
    const other = (await read("pix-certification", "pix-assessment-college.csv")).report;
    expect(other.refused).toContain("pix-assessment");
  });

  it("dates outside the period given are refused with line and column", async () => {
    const { report } = await read("pix-certification", "pix-certification-3e.csv", "2024-2025");
    expect(report.rejectedTotal).toBe(7);
    expect(report.rejected[0]).toEqual({
      line: 2,
      column: "Date de passage de la certification",
      reason: "date hors de la période 2024-2025 (15/04/2026)",
    });
  });
});

describe("bad Pix files through the framework's reader: the row refused, the others read", () => {
  const LEVEL_11 = "Niveau pour la compétence Mener une recherche et une veille d'information";
  const PIX_11 = "Nombre de pix pour la compétence Mener une recherche et une veille d'information";
  it.each([
    ["pix-bad-level-9.csv", LEVEL_11, "niveau 9 hors de l'échelle 0 à 8"],
    [
      "pix-bad-pix-not-matching-level.csv",
      PIX_11,
      "20 pix ne correspondent pas au niveau 1 (8 pix par niveau : 20 pix donnent le niveau 2)",
    ],
    [
      "pix-bad-future-date.csv",
      "Date et heure de l'envoi (Europe/Paris)",
      "date dans le futur (15/01/2027, après le 01/12/2026)",
    ],
  ])("%s", async (file, column, reason) => {
    const { report } = await read("pix-profiles", file);
    expect(report.rejected).toEqual([{ line: 2, column, reason }]);
    // Léa's later sending (line 7) is then her only row: read, not a duplicate.
    expect([report.read, report.accepted, report.duplicatesTotal]).toEqual([7, 6, 0]);
    for (const n of NAMES) expect(JSON.stringify(report)).not.toContain(n);
  });
});
