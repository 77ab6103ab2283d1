import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Profile } from "../framework/types.ts";
import { pixAssessmentProfile } from "./pix-assessment.ts";
import { type PixCertificationDetail, pixCertificationProfile } from "./pix-certification.ts";
import { pixProfilesProfile } from "./pix-profiles.ts";
import {
  contextFor,
  LYCEE,
  parseCsv,
  readFixture,
  rejections,
  runProfile,
  valueMap,
} from "./pix-test-kit.ts";

const file = parseCsv(readFixture("pix-certification-3e.csv"));
const Y = "2025-2026";
const DATE = "Date de passage de la certification";

function withCell(row: number, label: string, value: string) {
  const col = file.labels.indexOf(label);
  if (col < 0) throw new Error(label);
  return {
    labels: file.labels,
    rows: file.rows.map((r, i) =>
      i === row ? { line: r.line, cells: r.cells.map((c, j) => (j === col ? value : c)) } : r,
    ),
  };
}

describe("pix-certification on a hand-computed file", () => {
  const run = runProfile(pixCertificationProfile, file);
  const v = valueMap(run.result);

  it("counts a pupil with two sessions once, the latest (Léa: rejected in March, validated in April)", () => {
    expect(run.headerIssue).toBeNull();
    expect(run.outcomes.map((o) => o.kind)).toEqual([
      "accepted",
      "duplicate",
      "accepted",
      "accepted",
      "accepted",
      "accepted",
      "accepted",
    ]);
    expect(run.result.summary).toEqual({
      candidates: 6,
      classes: 0,
      validated: 3,
      rejected: 0,
      cancelled: 1,
      error: 1,
      started: 1,
    });
  });

  it("gives candidates, validated, pix of the validated and certified levels; a collège's file without class is 3e", () => {
    for (const d of ["", "level=troisieme"]) {
      expect(v.get(`${Y}|pupils_pix_certification_candidates|${d}`)).toBe(6);
      expect(v.get(`${Y}|pupils_pix_certified|${d}`)).toBe(3);
      expect(v.get(`${Y}|pix_certification_score_total|${d}`)).toBe(532); // 180 + 96 + 256
    }
    expect(v.get(`${Y}|pupils_pix_certification_competence_tested|competence=c1_1`)).toBe(3);
    expect(v.get(`${Y}|pix_certification_competence_level_sum|competence=c1_1`)).toBe(5);
    expect(v.get(`${Y}|pupils_pix_certification_competence_level|competence=c1_1,pix_level=level_2`)).toBe(2);
    // 3.4 is « - » for Léa: not tested.
    expect(v.get(`${Y}|pupils_pix_certification_competence_tested|competence=c3_4`)).toBe(2);
    expect(v.get(`${Y}|pix_certification_competence_level_sum|competence=c3_4`)).toBe(3);
    expect(v.get(`${Y}|pupils_pix_certification_competence_level|competence=c5_2,pix_level=level_0`)).toBe(1);
  });

  it("a lycée's file without class is terminale", () => {
    const v2 = valueMap(runProfile(pixCertificationProfile, file, contextFor({ school: LYCEE })).result);
    expect(v2.get(`${Y}|pupils_pix_certified|level=terminale`)).toBe(3);
  });

  it("never lets a name, a first name, a birth date, a place or the jury's comment out", () => {
    const out = JSON.stringify([run.result, run.outcomes]);
    for (const s of [
      "Martin",
      "Léa",
      "Hugo",
      "Chloé",
      "Lefebvre",
      "12/03/2011",
      "2011-03-12",
      "Loudun",
      "Niort",
      "Compte rendu",
      "1234567",
    ])
      expect(out).not.toContain(s);
    expect((run.result.detail as PixCertificationDetail).classes).toHaveLength(1);
  });
});

describe("pix-certification refusals", () => {
  it("a level outside 0–8, an unknown status, a date in the future or outside the period", () => {
    expect(rejections(runProfile(pixCertificationProfile, withCell(0, "2.1", "9")).outcomes)).toEqual([
      { line: 2, column: "2.1", reason: "niveau 9 hors de l'échelle 0 à 8" },
    ]);
    expect(
      rejections(runProfile(pixCertificationProfile, withCell(2, "Statut", "Perdue")).outcomes)[0],
    ).toEqual({
      line: 4,
      column: "Statut",
      reason: "statut inconnu (Validée, Rejetée, Annulée, En erreur ou Démarrée attendu)",
    });
    expect(rejections(runProfile(pixCertificationProfile, withCell(2, DATE, "16/04/2027")).outcomes)).toEqual(
      [{ line: 4, column: DATE, reason: "date dans le futur (16/04/2027, après le 01/12/2026)" }],
    );
    const outside = runProfile(pixCertificationProfile, file, contextFor({ period: "2024-2025" }));
    expect(rejections(outside.outcomes)).toHaveLength(7);
    expect(rejections(outside.outcomes)[0]?.reason).toBe("date hors de la période 2024-2025 (15/04/2026)");
  });

  it("a Pix Orga export given to this profile", () => {
    expect(
      runProfile(pixCertificationProfile, parseCsv(readFixture("pix-profiles-college.csv"))).headerIssue,
    ).toContain("importez-le avec le profil « pix-profiles », pas « pix-certification »");
  });
});

describe("pix-certification properties", () => {
  it("the same aggregates whatever the order of the rows (the latest session wins either way)", () => {
    const straight = runProfile(pixCertificationProfile, file).result;
    fc.assert(
      fc.property(fc.shuffledSubarray([...file.rows], { minLength: file.rows.length }), (rows) => {
        const shuffled = runProfile(pixCertificationProfile, { labels: file.labels, rows }).result;
        expect(shuffled.values).toEqual(straight.values);
        expect(shuffled.summary).toEqual(straight.summary);
      }),
      { numRuns: 20 },
    );
  });

  it("never throws on arbitrary rows", () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.constantFrom(
        "Validée",
        "Rejetée",
        "Annulée",
        "En erreur",
        "Démarrée",
        "-",
        "",
        "2",
        "9",
        "180",
        "15/04/2026",
      ),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { maxLength: file.labels.length + 2 }), { maxLength: 20 }),
        (rows) => {
          const run = runProfile(pixCertificationProfile, {
            labels: file.labels,
            rows: rows.map((cells, i) => ({ line: i + 2, cells })),
          });
          expect(run.result.summary.validated).toBeLessThanOrEqual(run.result.summary.candidates as number);
        },
      ),
      { numRuns: 120 },
    );
  });
});

describe("combining the files of one school (all three Pix profiles)", () => {
  it("is blind to the order of the files and to a file given twice", () => {
    const runs: [Profile, string, string | null][] = [
      [pixProfilesProfile as Profile, "pix-profiles-college.csv", "pix-profiles-2021-old-header.csv"],
      [pixAssessmentProfile as Profile, "pix-assessment-college.csv", null],
      [pixCertificationProfile as Profile, "pix-certification-3e.csv", null],
    ];
    for (const [profile, a, b] of runs) {
      const da = runProfile(profile, parseCsv(readFixture(a))).result.detail;
      const db = b ? runProfile(profile, parseCsv(readFixture(b))).result.detail : da;
      const combine = profile.combine as (d: readonly unknown[]) => readonly unknown[];
      expect(combine([da, db])).toEqual(combine([db, da]));
      expect(combine([da, da])).toEqual(combine([da]));
      // Details of another profile are ignored.
      expect(combine([da, { profile: "usage", classes: [] }])).toEqual(combine([da]));
    }
  });
});
