import fc from "fast-check";
import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { SCHOOL_TYPES, type SchoolType } from "../../../contracts/territories.ts";
import { makeUai } from "../codes.ts";
import { DEPARTMENTS } from "../referential.ts";
import type { SchoolRecord } from "../school-record.ts";
import { ANNUAIRE_2023_COLUMNS, ANNUAIRE_2026_COLUMNS, type AnnuaireLayout } from "./columns.ts";
import { districtCodeFromName } from "./districts.ts";
import { parseAnnuaire } from "./parse.ts";
import { annuaireCsvLines, writeAnnuaireCsv } from "./write.ts";

/**
 * Nature codes a generated record of each type may carry. `null` only where `Type_etablissement`
 * alone tells the type back ("Lycée" does not say which lycée, except the default one).
 */
const NATURES: Record<SchoolType, readonly (string | null)[]> = {
  ecole_maternelle: ["101", "102", "103", "111", null],
  ecole_elementaire: ["151", "152", "153", "160", "162", "169", "170", null],
  ecole_primaire: ["151", "160", null],
  college: ["340", "350", "352", null],
  lycee_gt: ["300", "301", "302", null],
  lycee_polyvalent: ["306"],
  lycee_professionnel: ["320", "332", "334"],
  lycee_agricole: ["307"],
  erea: ["370", null],
  medico_social: ["240", "241", "299", null],
  administration: ["806", "809", "841", null],
  autre: ["380", "400", null],
};

/** Any non-empty text the importer keeps as is: trimmed (it trims), any Unicode, `;`, quotes, line breaks, formulas. */
const text = (chars?: fc.Arbitrary<string>) =>
  (chars
    ? fc.string({ unit: chars, minLength: 1, maxLength: 24 })
    : fc.string({ unit: "grapheme", minLength: 1, maxLength: 24 })
  )
    .map((s) => s.trim())
    .filter((s) => s !== "");
const digits = (n: number) => fc.stringMatching(new RegExp(`^[0-9]{${n}}$`));
const coordinate = (limit: number) =>
  fc.option(fc.double({ min: -limit, max: limit, noNaN: true }).map((x) => (x === 0 ? 0 : x)));
const isoDate = fc
  .date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const sourceCode = fc.stringMatching(/^[0-9A-Za-z_-]{1,12}$/);

function schoolRecord(layout: AnnuaireLayout, chars?: fc.Arbitrary<string>): fc.Arbitrary<SchoolRecord> {
  return fc
    .record({
      num: fc.integer({ min: 0, max: 9_999_999 }),
      type: fc.constantFrom(...SCHOOL_TYPES),
      natureIndex: fc.nat(),
      name: text(chars),
      natureLabel: fc.option(text(chars)),
      sector: fc.constantFrom("public", "private_contract", "private_no_contract" as const),
      priorityEducation: fc.constantFrom(null, "REP", "REP+" as const),
      communeCode: fc.option(digits(5)),
      communeName: fc.option(text(chars)),
      postalCode: fc.option(digits(5)),
      latitude: coordinate(90),
      longitude: coordinate(180),
      department: fc.constantFrom(...DEPARTMENTS),
      bassin: fc.option(fc.record({ code: sourceCode, name: text(chars) })),
      circonscription: fc.option(fc.record({ code: sourceCode, name: text(chars) })),
      status: fc.constantFrom("open", "closed" as const),
      openedOn: fc.option(isoDate),
      pupils: fc.option(fc.nat(100_000)),
      sourceUpdatedOn: fc.option(isoDate),
    })
    .map((g): SchoolRecord => {
      const natures = NATURES[g.type];
      return {
        uai: makeUai(g.num),
        name: g.name,
        type: g.type,
        natureCode: natures[g.natureIndex % natures.length] ?? null,
        natureLabel: g.natureLabel,
        sector: g.sector,
        priorityEducation: g.priorityEducation,
        communeCode: g.communeCode,
        communeName: g.communeName,
        postalCode: g.postalCode,
        latitude: g.latitude,
        longitude: g.longitude,
        departmentCode: g.department.code,
        academyCode: g.department.academyCode,
        academicRegionCode: g.department.academicRegionCode,
        bassin: g.bassin && { code: `B-${g.bassin.code}`, name: g.bassin.name },
        // The 2023 layout has no circonscription code: the importer derives it from the name.
        circonscription: g.circonscription && {
          code:
            layout === "2023"
              ? districtCodeFromName("circonscription", g.department.code, g.circonscription.name)
              : `C-${g.circonscription.code}`,
          name: g.circonscription.name,
        },
        status: g.status,
        openedOn: g.openedOn,
        // The 2026 layout has no pupil count.
        pupils: layout === "2023" ? g.pupils : null,
        sourceUpdatedOn: g.sourceUpdatedOn,
      };
    });
}

const schools = (layout: AnnuaireLayout, chars?: fc.Arbitrary<string>) =>
  fc.uniqueArray(schoolRecord(layout, chars), { selector: (r) => r.uai, maxLength: 12 });

describe("writeAnnuaireCsv", () => {
  it("writes the header of each layout, with a BOM and CRLF by default", () => {
    const csv2026 = writeAnnuaireCsv([], "2026");
    expect(csv2026).toBe(`\uFEFF${ANNUAIRE_2026_COLUMNS.join(";")}\r\n`);
    const csv2023 = writeAnnuaireCsv([], "2023", { bom: false, lineEnding: "\n" });
    expect(csv2023).toBe(`${ANNUAIRE_2023_COLUMNS.join(";")}\n`);
  });

  it("writes départements as the Annuaire does and neutralises formulas", () => {
    const lines = [
      ...annuaireCsvLines(
        [
          {
            uai: "6200001G",
            name: '=HYPERLINK("http://x")',
            type: "college",
            natureCode: "340",
            natureLabel: "COLLEGE",
            sector: "public",
            priorityEducation: null,
            communeCode: null,
            communeName: null,
            postalCode: null,
            latitude: 41.9,
            longitude: 8.7,
            departmentCode: "2A",
            academyCode: "27",
            academicRegionCode: "94",
            bassin: null,
            circonscription: null,
            status: "open",
            openedOn: null,
            pupils: null,
            sourceUpdatedOn: null,
          },
        ],
        "2026",
      ),
    ];
    const cells = (lines[1] as string).split(";");
    const column = (name: string) => cells[ANNUAIRE_2026_COLUMNS.indexOf(name as never)];
    expect(column("Code_departement")).toBe("620");
    expect(column("Nom_etablissement")).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(column("longitude")).toBe("8.7");
    expect(column("Libelle_academie")).toBe("Corse");
  });

  for (const layout of ["2023", "2026"] as const) {
    it(`round-trips random records through the ${layout} layout`, async () => {
      await fc.assert(
        fc.asyncProperty(schools(layout), fc.boolean(), async (records, crlf) => {
          const csv = writeAnnuaireCsv(records, layout, { lineEnding: crlf ? "\r\n" : "\n" });
          const parsed = await parseAnnuaire(Buffer.from(csv, "utf8"));
          expect(parsed.rejected).toEqual([]);
          expect(parsed.duplicates).toEqual([]);
          expect(parsed.layout).toBe(layout);
          expect(parsed.records).toEqual(records);
        }),
        { numRuns: 150 },
      );
    });
  }

  it("carries pupils through the 2026 layout when asked to add the column", async () => {
    await fc.assert(
      fc.asyncProperty(schools("2023"), async (records) => {
        const twentySix = records.map((r) => ({ ...r, circonscription: null }));
        const parsed = await parseAnnuaire(
          Buffer.from(writeAnnuaireCsv(twentySix, "2026", { pupilsColumn: true })),
        );
        expect(parsed.layout).toBe("2026");
        expect(parsed.records).toEqual(twentySix);
      }),
      { numRuns: 50 },
    );
  });

  it("round-trips through Windows-1252 for texts that encoding can carry", async () => {
    // No character here encodes to a UTF-8 continuation byte, so the bytes cannot pass for UTF-8.
    const latin = fc.constantFrom(..."abcXYZ019 ;\"'\n=+-@éèàçÉ");
    await fc.assert(
      fc.asyncProperty(schools("2023", latin), async (records) => {
        const csv = writeAnnuaireCsv(records, "2023", { bom: false });
        const parsed = await parseAnnuaire(iconv.encode(csv, "win1252"));
        expect(parsed.records).toEqual(records);
      }),
      { numRuns: 100 },
    );
  });
});
