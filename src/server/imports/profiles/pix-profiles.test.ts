import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { levelOfClass as levelOf } from "./pix-common.ts";
import { combinePixProfiles, type PixProfilesDetail, pixProfilesProfile } from "./pix-profiles.ts";
import {
  contextFor,
  LYCEE,
  type ParsedCsv,
  parseCsv,
  readFixture,
  rejections,
  runProfile,
  valueMap,
} from "./pix-test-kit.ts";

const college = parseCsv(readFixture("pix-profiles-college.csv"));
const old = parseCsv(readFixture("pix-profiles-2021-old-header.csv"));
const Y = "2025-2026";

/** The file with row `index` (0-based, after the header) changed by `edit` on its cells. */
function edited(
  csv: ParsedCsv,
  index: number,
  edit: (cells: string[], col: (label: string) => number) => void,
): ParsedCsv {
  const col = (label: string) => {
    const i = csv.labels.indexOf(label);
    if (i < 0) throw new Error(`colonne absente : ${label}`);
    return i;
  };
  const rows = csv.rows.map((r, i) => {
    if (i !== index) return r;
    const cells = [...r.cells];
    edit(cells, col);
    return { line: r.line, cells };
  });
  return { labels: csv.labels, rows };
}
const LEVEL_11 = "Niveau pour la compétence Mener une recherche et une veille d'information";
const PIX_11 = "Nombre de pix pour la compétence Mener une recherche et une veille d'information";
const DATE = "Date et heure de l'envoi (Europe/Paris)";

describe("pix-profiles on a hand-computed file", () => {
  const run = runProfile(pixProfilesProfile, college);
  const v = valueMap(run.result);

  it("recognises the header (newer labels, 16 competences) and accepts every row but one repeated participant", () => {
    expect(run.headerIssue).toBeNull();
    expect(run.header.families.get("level")?.size).toBe(16);
    expect(run.outcomes.map((o) => o.kind)).toEqual([
      "accepted",
      "accepted",
      "accepted",
      "accepted",
      "accepted",
      "duplicate",
      "accepted",
    ]);
    const dup = run.outcomes[5];
    expect(dup?.kind === "duplicate" && dup.issue.reason).toBe(
      "participant déjà lu ligne 2 : compté une fois (l'envoi le plus récent)",
    );
  });

  it("summarises participants, shared, certifiable and classes", () => {
    expect(run.result.summary).toEqual({
      participants: 6,
      shared: 5,
      certifiable: 3,
      classes: 3,
      campaigns: 1,
    });
  });

  it("gives the school's totals, and per level for the classes whose label names one", () => {
    // Léa (latest sending: 136 pix), Hugo 37, Inès 40, Lou 256, Jules 48; Chloé has not shared.
    expect(v.get(`${Y}|pupils_in_pix_campaign|`)).toBe(6);
    expect(v.get(`${Y}|pupils_pix_profile_shared|`)).toBe(5);
    expect(v.get(`${Y}|pupils_pix_scored|`)).toBe(5);
    expect(v.get(`${Y}|pix_score_total|`)).toBe(517);
    expect(v.get(`${Y}|pupils_pix_certifiable|`)).toBe(3);
    expect(v.get(`${Y}|pupils_pix_targeted_shared|`)).toBe(4);
    expect(v.get(`${Y}|pupils_pix_level_reached|`)).toBe(2);
    expect(v.get(`${Y}|pupils_in_pix_campaign|level=troisieme`)).toBe(5);
    expect(v.get(`${Y}|pix_score_total|level=troisieme`)).toBe(469);
    expect(v.get(`${Y}|pupils_pix_level_reached|level=troisieme`)).toBe(2);
    expect(v.get(`${Y}|pupils_in_pix_campaign|level=cinquieme`)).toBe(1);
    expect(v.get(`${Y}|pix_score_total|level=cinquieme`)).toBe(48);
    // 5e has no target: nothing is said about it.
    expect(v.has(`${Y}|pupils_pix_level_reached|level=cinquieme`)).toBe(false);
  });

  it("counts pupils per competence and level, the level sums and the pupils at their target", () => {
    expect(v.get(`${Y}|pupils_pix_competence_level|competence=c1_1,pix_level=level_0`)).toBe(1);
    expect(v.get(`${Y}|pupils_pix_competence_level|competence=c1_1,pix_level=level_1`)).toBe(1);
    expect(v.get(`${Y}|pupils_pix_competence_level|competence=c1_1,pix_level=level_2`)).toBe(3);
    expect(v.get(`${Y}|pupils_pix_competence_level|competence=c1_1,pix_level=level_8`)).toBe(0);
    expect(v.get(`${Y}|pix_competence_level_sum|competence=c1_1`)).toBe(7);
    expect(v.get(`${Y}|pupils_pix_competence_target_reached|competence=c1_1`)).toBe(4);
    expect(v.get(`${Y}|pupils_pix_competence_level|competence=c2_1,pix_level=level_0`)).toBe(2);
    expect(v.get(`${Y}|pix_competence_level_sum|competence=c2_1`)).toBe(4);
    expect(v.get(`${Y}|pupils_pix_competence_target_reached|competence=c2_1`)).toBe(3);
    expect(v.get(`${Y}|pupils_pix_competence_target_reached|competence=c2_1,level=troisieme`)).toBe(3);
    expect(v.get(`${Y}|pix_competence_level_sum|competence=c5_2`)).toBe(3);
    expect(v.get(`${Y}|pupils_pix_competence_level|competence=c5_2,level=cinquieme,pix_level=level_0`)).toBe(
      1,
    );
  });

  it("details each campaign × class with counts only", () => {
    const detail = run.result.detail as PixProfilesDetail;
    expect(
      detail.classes.map((c) => [c.class, c.level, c.participants, c.shared, c.certifiable, c.pixTotal]),
    ).toEqual([
      ["3 B", "troisieme", 2, 2, 2, 296],
      ["3A", "troisieme", 3, 2, 1, 173],
      ["5C", "cinquieme", 1, 1, 0, 48],
    ]);
    expect(detail.classes[1]?.lastSharedOn).toBe("2025-11-02");
    expect(detail.classes[1]?.levels["1.1"]).toEqual([0, 0, 2, 0, 0, 0, 0, 0, 0]);
  });

  it("never lets a name, a first name or the formula-guarded cell out", () => {
    const out = JSON.stringify([run.result, run.outcomes]);
    for (const name of [
      "Martin",
      "Léa",
      "Bernard",
      "Hugo",
      "Petit",
      "Chloé",
      "Durand",
      "Inès",
      "Lefebvre",
      "Lou",
      "Roux",
      "Jules",
    ])
      expect(out).not.toContain(name);
  });
});

describe("pix-profiles on an older export", () => {
  it("reads « Date de l'envoi » in YYYY-MM-DD, no class column: the school year of the sendings, totals only", () => {
    const run = runProfile(pixProfilesProfile, old, contextFor({ school: LYCEE }));
    expect(run.headerIssue).toBeNull();
    expect(rejections(run.outcomes)).toEqual([]);
    const v = valueMap(run.result);
    expect(v.get("2020-2021|pupils_in_pix_campaign|")).toBe(3);
    expect(v.get("2020-2021|pupils_pix_profile_shared|")).toBe(2);
    expect(v.get("2020-2021|pix_score_total|")).toBe(233);
    expect(v.get("2020-2021|pupils_pix_certifiable|")).toBe(1);
    expect(v.get("2020-2021|pix_competence_level_sum|competence=c1_1")).toBe(5);
    expect([...v.keys()].some((k) => /[|,]level=/.test(k))).toBe(false);
    expect(run.result.summary).toMatchObject({ participants: 3, shared: 2, certifiable: 1, classes: 0 });
  });
});

describe("pix-profiles refusals, in French with line and column", () => {
  it("a level outside 0–8", () => {
    const run = runProfile(
      pixProfilesProfile,
      edited(college, 0, (c, col) => (c[col(LEVEL_11)] = "9")),
    );
    expect(rejections(run.outcomes)).toEqual([
      { line: 2, column: LEVEL_11, reason: "niveau 9 hors de l'échelle 0 à 8" },
    ]);
  });

  it("a pix count that does not match its level", () => {
    const run = runProfile(
      pixProfilesProfile,
      edited(college, 0, (c, col) => (c[col(PIX_11)] = "20")),
    );
    expect(rejections(run.outcomes)).toEqual([
      {
        line: 2,
        column: PIX_11,
        reason: "20 pix ne correspondent pas au niveau 1 (8 pix par niveau : 20 pix donnent le niveau 2)",
      },
    ]);
  });

  it("a total that is not the sum of the competences", () => {
    const run = runProfile(
      pixProfilesProfile,
      edited(college, 0, (c, col) => (c[col("Nombre de pix total")] = "130")),
    );
    expect(rejections(run.outcomes)[0]?.reason).toBe(
      "le total (130 pix) n'est pas la somme des pix des compétences (128)",
    );
  });

  it("a date in the future", () => {
    const run = runProfile(
      pixProfilesProfile,
      edited(college, 1, (c, col) => (c[col(DATE)] = "15/01/2027 10:00")),
    );
    expect(rejections(run.outcomes)).toEqual([
      { line: 3, column: DATE, reason: "date dans le futur (15/01/2027, après le 01/12/2026)" },
    ]);
  });

  it("a date outside the period asked", () => {
    const run = runProfile(pixProfilesProfile, college, contextFor({ period: "2024-2025" }));
    const issues = rejections(run.outcomes);
    expect(issues).toHaveLength(6);
    expect(issues[0]).toEqual({
      line: 2,
      column: DATE,
      reason: "date hors de la période 2024-2025 (14/10/2025)",
    });
  });

  it("an unreadable date or yes/no", () => {
    const run = runProfile(
      pixProfilesProfile,
      edited(
        edited(college, 0, (c, col) => (c[col(DATE)] = "31/02/2025")),
        1,
        (c, col) => (c[col("Envoi (O/N)")] = "Peut-être"),
      ),
    );
    expect(rejections(run.outcomes).map((i) => [i.line, i.column, i.reason])).toEqual([
      [2, DATE, "date illisible (AAAA-MM-JJ ou JJ/MM/AAAA HH:mm attendu)"],
      [3, "Envoi (O/N)", "envoi illisible (Oui/Non ou O/N attendu)"],
    ]);
  });

  it("another Pix export given to this profile", () => {
    const assessment = parseCsv(readFixture("pix-assessment-college.csv"));
    const certification = parseCsv(readFixture("pix-certification-3e.csv"));
    expect(runProfile(pixProfilesProfile, assessment).headerIssue).toBe(
      "Ce fichier est un export Pix Orga de campagne d'évaluation : importez-le avec le profil « pix-assessment », pas « pix-profiles ».",
    );
    expect(runProfile(pixProfilesProfile, certification).headerIssue).toBe(
      "Ce fichier est un export des résultats de certification Pix : importez-le avec le profil « pix-certification », pas « pix-profiles ».",
    );
  });

  it("a competence the CRCN does not have", () => {
    const labels = college.labels.map((l) => l.replace("Programmer", "Jongler"));
    expect(runProfile(pixProfilesProfile, { labels, rows: [] }).headerIssue).toBe(
      "Compétence inconnue du cadre de référence (CRCN) : « Jongler » et 1 autre(s).",
    );
  });
});

describe("pix-profiles: several files of one school", () => {
  it("a second file with other classes adds to the first; a class collected again replaces its figures", () => {
    const first = runProfile(pixProfilesProfile, college).result.detail as PixProfilesDetail;
    // A later campaign for 5C only, where Jules now has 64 pix.
    const later: PixProfilesDetail = {
      ...first,
      classes: [
        {
          ...(first.classes[2] as PixProfilesDetail["classes"][number]),
          campaignId: "4999",
          pixTotal: 64,
          lastSharedOn: "2026-03-01",
        },
      ],
    };
    const other: PixProfilesDetail = {
      ...first,
      classes: [
        {
          ...(first.classes[0] as PixProfilesDetail["classes"][number]),
          class: "T2",
          level: "terminale",
          targetReached: 0,
        },
      ],
    };
    const v = valueMap({ values: combinePixProfiles([first, later, other]), summary: {} });
    expect(v.get(`${Y}|pix_score_total|`)).toBe(296 + 173 + 64 + 296);
    expect(v.get(`${Y}|pix_score_total|level=cinquieme`)).toBe(64);
    expect(v.get(`${Y}|pix_score_total|level=terminale`)).toBe(296);
    expect(v.get(`${Y}|pix_score_total|level=troisieme`)).toBe(469);
    // The order the details come in changes nothing.
    expect(combinePixProfiles([other, later, first])).toEqual(combinePixProfiles([first, later, other]));
  });
});

describe("pix-profiles properties", () => {
  it("the same aggregates whatever the order of the rows", () => {
    fc.assert(
      fc.property(fc.shuffledSubarray([...college.rows], { minLength: college.rows.length }), (rows) => {
        const shuffled = runProfile(pixProfilesProfile, { labels: college.labels, rows });
        const straight = runProfile(pixProfilesProfile, college);
        expect(shuffled.result.values).toEqual(straight.result.values);
        expect(shuffled.result.summary).toEqual(straight.result.summary);
        expect(shuffled.result.detail).toEqual(straight.result.detail);
      }),
      { numRuns: 25 },
    );
  });

  it("never throws on arbitrary rows, and every refusal names its line", () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom(
        "Oui",
        "Non",
        "O",
        "N",
        "NA",
        "",
        "-",
        "8",
        "64",
        "9",
        "1024",
        "14/10/2025 10:12",
        "2025-10-14",
        "32/13/2025",
      ),
      fc.integer({ min: -5, max: 2000 }).map(String),
    );
    const width = college.labels.length;
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 0, maxLength: width + 3 }), { maxLength: 25 }),
        (rows) => {
          const run = runProfile(pixProfilesProfile, {
            labels: college.labels,
            rows: rows.map((cells, i) => ({ line: i + 2, cells })),
          });
          for (const i of rejections(run.outcomes)) {
            expect(i.line).toBeGreaterThanOrEqual(2);
            expect(i.reason.length).toBeLessThanOrEqual(400);
          }
          const { summary } = run.result;
          expect(summary.shared).toBeLessThanOrEqual(summary.participants as number);
          expect(summary.certifiable).toBeLessThanOrEqual(summary.shared as number);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("the class levels it recognises", () => {
    const cases: [string, string | null][] = [
      ["3e A", "troisieme"],
      ["3A", "troisieme"],
      ["3ème 2", "troisieme"],
      ["301", "troisieme"],
      ["3 B", "troisieme"],
      ["T1", "terminale"],
      ["TG2", "terminale"],
      ["Tle 3", "terminale"],
      ["Terminale B", "terminale"],
      ["TSTMG", "terminale"],
      ["2nde 4", "seconde"],
      ["2GT3", "seconde"],
      ["2PRO", "seconde"],
      ["1G2", "premiere_generale"],
      ["1ère G3", "premiere_generale"],
      ["1STMG", "premiere_technologique"],
      ["1PRO", "premiere_professionnelle"],
      ["6e", "sixieme"],
      ["5B", "cinquieme"],
      ["4ème", "quatrieme"],
      ["CAP 1", null],
      ["1ère 3", null],
      ["Groupe Pix", null],
      ["", null],
    ];
    for (const [label, level] of cases) expect([label, levelOf(label)]).toEqual([label, level]);
  });

  it("reads a class label the same whatever its case, accents and spaces, and only names catalogue levels", () => {
    const LEVELS = new Set([
      "sixieme",
      "cinquieme",
      "quatrieme",
      "troisieme",
      "seconde",
      "premiere_generale",
      "premiere_technologique",
      "premiere_professionnelle",
      "terminale",
    ]);
    const label = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc
        .tuple(
          fc.constantFrom("3e", "3ème", "T", "Tle", "2nde", "1G", "1STMG", "6e", "5", "4eme", "CAP"),
          fc.constantFrom("", " A", "2", " 03", "-B"),
        )
        .map(([a, b]) => a + b),
    );
    fc.assert(
      fc.property(label, (l) => {
        const level = levelOf(l);
        expect(level === null || LEVELS.has(level)).toBe(true);
        expect(levelOf(l.toUpperCase())).toBe(level);
        expect(levelOf(` ${l.split("").join(" ")} `)).toBe(level);
      }),
      { numRuns: 300 },
    );
  });
});
