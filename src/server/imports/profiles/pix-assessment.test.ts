import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type PixAssessmentDetail, pixAssessmentProfile } from "./pix-assessment.ts";
import { contextFor, parseCsv, readFixture, rejections, runProfile, valueMap } from "./pix-test-kit.ts";

const file = parseCsv(readFixture("pix-assessment-college.csv"));
const Y = "2025-2026";
const SHARED_AT = "Date et heure du partage (Europe/Paris)";

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

describe("pix-assessment on a hand-computed file", () => {
  const run = runProfile(pixAssessmentProfile, file);
  const v = valueMap(run.result);

  it("reads the header (parcours, palier /3, a badge, 2 competences, 2 areas) and every row", () => {
    expect(run.headerIssue).toBeNull();
    expect(rejections(run.outcomes)).toEqual([]);
    expect(run.result.summary).toEqual({
      participants: 4,
      shared: 3,
      classes: 2,
      campaigns: 1,
      withStage: 3,
    });
  });

  it("sums mastery, skills per competence and area, and counts paliers", () => {
    expect(v.get(`${Y}|pupils_pix_assessment_participants|`)).toBe(4);
    expect(v.get(`${Y}|pupils_pix_assessment_shared|`)).toBe(3);
    expect(v.get(`${Y}|pix_assessment_mastery_sum|`)).toBe(125); // 75 + 40 + 10
    expect(v.get(`${Y}|pix_assessment_skills_mastered|competence=c1_1`)).toBe(14);
    expect(v.get(`${Y}|pix_assessment_skills_targeted|competence=c1_1`)).toBe(30);
    expect(v.get(`${Y}|pix_assessment_skills_mastered|competence=c4_1`)).toBe(11);
    expect(v.get(`${Y}|pix_assessment_skills_mastered|crcn_area=area_4`)).toBe(11);
    expect(v.get(`${Y}|pix_assessment_skills_mastered|`)).toBe(25);
    expect(v.get(`${Y}|pix_assessment_skills_targeted|`)).toBe(60);
    expect(v.has(`${Y}|pix_assessment_skills_targeted|competence=c2_1`)).toBe(false);
    expect(v.get(`${Y}|pupils_pix_assessment_stage|pix_stage=stage_3`)).toBe(1);
    expect(v.get(`${Y}|pupils_pix_assessment_stage|pix_stage=stage_1`)).toBe(1);
    expect(v.get(`${Y}|pupils_pix_assessment_stage|pix_stage=stage_0`)).toBe(0);
    expect(v.get(`${Y}|pix_assessment_mastery_sum|level=troisieme`)).toBe(115);
    expect(v.get(`${Y}|pupils_pix_assessment_participants|level=cinquieme`)).toBe(1);
  });

  it("details each campaign × class, with the parcours and the badges, counts only", () => {
    const d = run.result.detail as PixAssessmentDetail;
    expect(
      d.classes.map((c) => [c.class, c.participants, c.shared, c.masterySum, c.stages, c.badges]),
    ).toEqual([
      ["3A", 3, 2, 115, [0, 0, 1, 1], { "Badge Cyber": 1 }],
      ["5C", 1, 1, 10, [0, 1, 0, 0], { "Badge Cyber": 0 }],
    ]);
    expect(d.classes[0]?.targetProfile).toBe("Parcours de rentrée collège");
    const out = JSON.stringify([run.result, run.outcomes]);
    for (const name of ["Martin", "Léa", "Bernard", "Hugo", "Petit", "Chloé", "Roux", "Jules"])
      expect(out).not.toContain(name);
  });
});

describe("pix-assessment refusals", () => {
  it("more skills mastered than targeted, a palier beyond /3, a date in the future or outside the period", () => {
    const mastered = "Acquis maitrisés dans la compétence Mener une recherche et une veille d'information";
    expect(rejections(runProfile(pixAssessmentProfile, withCell(0, mastered, "12")).outcomes)).toEqual([
      { line: 2, column: mastered, reason: "12 acquis maîtrisés pour 10 acquis visés" },
    ]);
    expect(
      rejections(runProfile(pixAssessmentProfile, withCell(1, "Palier obtenu (/3)", "4")).outcomes),
    ).toEqual([
      { line: 3, column: "Palier obtenu (/3)", reason: "palier invalide (entier de 0 à 3 attendu)" },
    ]);
    expect(
      rejections(runProfile(pixAssessmentProfile, withCell(1, SHARED_AT, "02/02/2027 10:00")).outcomes),
    ).toEqual([
      { line: 3, column: SHARED_AT, reason: "date dans le futur (02/02/2027, après le 01/12/2026)" },
    ]);
    const outside = runProfile(pixAssessmentProfile, file, contextFor({ period: "2026-2027" }));
    expect(rejections(outside.outcomes)[0]).toEqual({
      line: 2,
      column: SHARED_AT,
      reason: "date hors de la période 2026-2027 (03/12/2025)",
    });
  });

  it("a profile-collection or certification export given to this profile", () => {
    expect(
      runProfile(pixAssessmentProfile, parseCsv(readFixture("pix-profiles-college.csv"))).headerIssue,
    ).toBe(
      "Ce fichier est un export Pix Orga de collecte de profils : importez-le avec le profil « pix-profiles », pas « pix-assessment ».",
    );
    expect(
      runProfile(pixAssessmentProfile, parseCsv(readFixture("pix-certification-3e.csv"))).headerIssue,
    ).toContain("importez-le avec le profil « pix-certification »");
  });
});

describe("pix-assessment properties", () => {
  it("the same aggregates whatever the order of the rows", () => {
    const straight = runProfile(pixAssessmentProfile, file).result;
    fc.assert(
      fc.property(fc.shuffledSubarray([...file.rows], { minLength: file.rows.length }), (rows) => {
        const shuffled = runProfile(pixAssessmentProfile, { labels: file.labels, rows }).result;
        expect(shuffled.values).toEqual(straight.values);
        expect(shuffled.detail).toEqual(straight.detail);
      }),
      { numRuns: 20 },
    );
  });

  it("never throws on arbitrary rows", () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.constantFrom(
        "Oui",
        "Non",
        "NA",
        "",
        "0,5",
        "1",
        "75 %",
        "3",
        "10",
        "03/12/2025 11:00",
        "2025-12-03",
      ),
    );
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { maxLength: file.labels.length + 2 }), { maxLength: 20 }),
        (rows) => {
          const run = runProfile(pixAssessmentProfile, {
            labels: file.labels,
            rows: rows.map((cells, i) => ({ line: i + 2, cells })),
          });
          expect(run.result.summary.shared).toBeLessThanOrEqual(run.result.summary.participants as number);
        },
      ),
      { numRuns: 120 },
    );
  });
});
