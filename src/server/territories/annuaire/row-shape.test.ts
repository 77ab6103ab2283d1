import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ANNUAIRE_2023_COLUMNS, ANNUAIRE_2026_COLUMNS, resolveColumns } from "./columns.ts";
import { checkedColumns, checkRowShape } from "./row-shape.ts";

const columns2023 = resolveColumns(ANNUAIRE_2023_COLUMNS);
const columns2026 = resolveColumns(ANNUAIRE_2026_COLUMNS);

/** The first row of the real Ille-et-Vilaine export (2023 layout), address and mail removed. */
const REAL_ROW =
  "0350122T;Ecole primaire publique les Lucioles;Ecole;Public;6 rue PHILIPPE;;35580 BAULON;35580;35016;Baulon;035;14;53;1;1;;;;0299853802;;;;1;0;0;;;;;;;;;;;;;;;21350016800025;143;;47.98614492070133, -1.9294895003671315;SANS OBJET;Ille-et-Vilaine;Rennes;Bretagne;332503.4;6776558.9;EPSG:2154;Circonscription d'inspection du 1er degré de Bruz;47.98614492070133;-1.9294895003671315;Rue;1965-10-01;2023-06-08;OUVERT;MINISTERE DE L'EDUCATION NATIONALE;1;0;;151;ECOLE DE NIVEAU ELEMENTAIRE;99;0351234X;;;;".split(
    ";",
  );
const col = (name: (typeof ANNUAIRE_2023_COLUMNS)[number]) => ANNUAIRE_2023_COLUMNS.indexOf(name);

/** The row with one cell inserted at `at` (an unquoted `;` too many in the cell before). */
const insert = (row: readonly string[], at: number, cell = ""): string[] => [
  ...row.slice(0, at),
  cell,
  ...row.slice(at),
];

describe("checkRowShape", () => {
  it("accepts the real row as it is", () => {
    expect(REAL_ROW).toHaveLength(69);
    expect(checkRowShape(REAL_ROW, columns2023)).toBeNull();
  });

  it("refuses the shift of issue 9: one ; more after the département columns, trailing cells empty", () => {
    // Before this check the row passed: longitude = the latitude, « 151 » as nature label,
    // circonscription « EPSG:2154 ».
    const shifted = insert(REAL_ROW, col("Code_region") + 1);
    expect(shifted.at(-1)).toBe("");
    expect(checkRowShape(shifted, columns2023)).toEqual({
      reason: "La ligne compte 70 colonnes au lieu de 69",
    });
  });

  it("names the column that does not fit, not « Département « Baulon » inconnu », for a shift before the département", () => {
    // One ; too many in the address and one too few at the end: the count is right again.
    const shifted = insert(REAL_ROW, col("Adresse_2")).slice(0, 69);
    expect(checkRowShape(shifted, columns2023)).toEqual({
      column: "Code postal",
      reason:
        "Colonne « Code postal » : « 35580 BAULON » n'est pas un code postal ; la ligne est sans doute décalée (un « ; » en trop ou en moins)",
    });
  });

  it("echoes at most 40 characters of the cell", () => {
    const row = [...REAL_ROW];
    row[col("latitude")] = "x".repeat(500);
    const result = checkRowShape(row, columns2023);
    expect(result?.column).toBe("latitude");
    expect(result?.reason).toContain(`« ${"x".repeat(40)}… »`);
    expect(result?.reason.length).toBeLessThan(200);
  });

  it("checks the columns of the 2026 layout by name", () => {
    const labels = checkedColumns(columns2026).map((c) => c.label);
    expect(labels).toEqual(
      expect.arrayContaining([
        "Code_departement",
        "code_nature",
        "latitude",
        "epsg_origine",
        "date_maj_ligne",
      ]),
    );
    expect(labels).not.toContain("Nom_etablissement");
  });

  it("property: a cell too many or too few anywhere is refused by its count, whatever the cells contain", () => {
    fc.assert(
      fc.property(fc.nat({ max: 69 }), fc.string({ maxLength: 12 }), fc.boolean(), (at, cell, remove) => {
        const row = remove ? REAL_ROW.filter((_, i) => i !== Math.min(at, 68)) : insert(REAL_ROW, at, cell);
        expect(checkRowShape(row, columns2023)).toEqual({
          reason: `La ligne compte ${row.length} colonnes au lieu de 69`,
        });
      }),
    );
  });

  it("property: a shift that keeps the count is refused, naming a column at or after the shift", () => {
    // Shifting right from `at` and dropping a trailing empty cell keeps 69 cells. Every shift up to
    // the private-contract code moves a cell of another shape into a checked column (the PIAL's
    // UAI, after it, is followed by another UAI column).
    const last = col("Code_type_contrat_prive");
    fc.assert(
      fc.property(fc.integer({ min: 1, max: last }), (at) => {
        const shifted = insert(REAL_ROW, at).slice(0, 69);
        const result = checkRowShape(shifted, columns2023);
        expect(result?.column).toBeDefined();
        const named = ANNUAIRE_2023_COLUMNS.indexOf(result?.column as never);
        expect(named).toBeGreaterThanOrEqual(at);
        expect(result?.reason).toContain("la ligne est sans doute décalée");
      }),
      { numRuns: 200 },
    );
  });

  it("property: a row whose checked cells all have their shape is accepted, whatever its free texts", () => {
    const text = fc.string({ maxLength: 20 }).filter((s) => !s.includes(";"));
    const checked = new Map(checkedColumns(columns2023).map((c) => [c.index, c]));
    fc.assert(
      fc.property(fc.array(text, { minLength: 69, maxLength: 69 }), (texts) => {
        // Free-text columns get random text; checked columns keep the real row's cell.
        const row = texts.map((t, i) => (checked.has(i) || i === 0 ? (REAL_ROW[i] as string) : t));
        expect(checkRowShape(row, columns2023)).toBeNull();
      }),
    );
  });

  it("property: any non-fitting cell is reported at the first checked column, in file order", () => {
    const list = [...checkedColumns(columns2023)];
    fc.assert(
      fc.property(fc.subarray(list, { minLength: 1 }), (broken) => {
        const row = [...REAL_ROW];
        for (const c of broken) row[c.index] = "§§ pas ça §§";
        const first = broken.reduce((a, b) => (a.index <= b.index ? a : b));
        expect(checkRowShape(row, columns2023)?.column).toBe(first.label);
      }),
    );
  });

  it("treats NA, NULL and empty cells as fitting every column", () => {
    for (const missing of ["", " ", "NA", "NULL", "None", "N/A"]) {
      const row = REAL_ROW.map((cell, i) => (i === 0 ? cell : missing));
      expect(checkRowShape(row, columns2023)).toBeNull();
    }
  });
});

describe("checkRowShape on long cells", () => {
  it("refuses a cell longer than 1 000 characters, naming its column and its length", () => {
    const row = [...REAL_ROW];
    row[col("Nom_etablissement")] = "é".repeat(2_000_000);
    const result = checkRowShape(row, columns2023);
    expect(result?.column).toBe("Nom_etablissement");
    expect(result?.reason).toMatch(
      /^Colonne « Nom_etablissement » : cellule de 2\s000\s000 caractères \(au plus 1\s000\)$/,
    );
  });
});
