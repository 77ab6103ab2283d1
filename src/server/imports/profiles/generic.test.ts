import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type ImportMapping, importMapping } from "../../../contracts/import-mapping.ts";
import type { MatchedHeader, ProfileValue, RowOutcome } from "../framework/types.ts";
import { buildGenericProfile, type GenericRules } from "./generic.ts";

const mapping: ImportMapping = importMapping.parse({
  name: "Équipement 2024",
  uaiColumn: "Code établissement",
  period: { column: "Année" },
  columns: [
    { column: "Ordinateurs", dataElement: "computers" },
    { column: "TNI", dataElement: "interactive_boards" },
  ],
  breakdown: null,
});

const rules: GenericRules = {
  checkValue: (element, value) =>
    element === "computers" && !Number.isInteger(value)
      ? "un nombre entier est attendu"
      : value < 0
        ? "valeur négative"
        : null,
  checkPeriod: (p) => (/^\d{4}-\d{4}$/.test(p) ? null : `« ${p} » n'est pas une période`),
};

const HEADER = ["Code établissement", "Année", "Ordinateurs", "TNI"];

/** The header as the framework matches it: here the file's columns are in the mapping's order. */
function header(labels: readonly string[], keys: readonly string[]): MatchedHeader {
  return { columns: new Map(keys.map((k, i) => [k, i])), families: new Map(), labels };
}
const matched = header(HEADER, ["uai", "period", "value:0", "value:1"]);
const context = { school: null, period: null, today: "2026-12-01" };

function run(rows: readonly (readonly string[])[], m = mapping, h = matched) {
  const profile = buildGenericProfile(m, rules);
  const state = profile.start(context, h);
  const outcomes = rows.map((cells, i) => profile.row(state, { line: i + 2, cells }));
  return { outcomes, result: profile.finish(state) };
}

const valuesOf = (outcomes: readonly RowOutcome[]): ProfileValue[] =>
  outcomes.flatMap((o) => (o.kind === "accepted" ? [...(o.values ?? [])] : []));

describe("generic profile", () => {
  it("gives one value per mapped cell, missing cells give none", () => {
    const { outcomes, result } = run([
      ["0350001a", "2024-2025", "112", "3"],
      ["0350002B", "2024-2025", "NA", "1,5"],
    ]);
    expect(valuesOf(outcomes)).toEqual([
      { uai: "0350001A", dataElement: "computers", period: "2024-2025", disaggregation: {}, value: 112 },
      {
        uai: "0350001A",
        dataElement: "interactive_boards",
        period: "2024-2025",
        disaggregation: {},
        value: 3,
      },
      {
        uai: "0350002B",
        dataElement: "interactive_boards",
        period: "2024-2025",
        disaggregation: {},
        value: 1.5,
      },
    ]);
    expect(result.summary).toEqual({ rows: 2, values: 3, schools: 2 });
  });

  it("rejects a bad number, a value the catalogue refuses and a bad period, naming the column", () => {
    const { outcomes } = run([
      ["0350001A", "2024-2025", "douze", "3"],
      ["0350001A", "2023-2024", "12,5", "3"],
      ["0350001A", "2024", "12", "3"],
      ["", "2024-2025", "12", "3"],
    ]);
    expect(outcomes).toEqual([
      {
        kind: "rejected",
        issues: [{ line: 2, column: "Ordinateurs", reason: "« douze » n'est pas un nombre" }],
      },
      {
        kind: "rejected",
        issues: [{ line: 3, column: "Ordinateurs", reason: "un nombre entier est attendu" }],
      },
      { kind: "rejected", issues: [{ line: 4, column: "Année", reason: "« 2024 » n'est pas une période" }] },
      { kind: "rejected", issues: [{ line: 5, column: "Code établissement", reason: "UAI absent" }] },
    ]);
  });

  it("reports a second row for the same school, period and breakdown as a duplicate", () => {
    const { outcomes } = run([
      ["0350001A", "2024-2025", "1", "1"],
      ["0350001a", "2024-2025", "2", "2"],
    ]);
    expect(outcomes[1]).toEqual({
      kind: "duplicate",
      issue: {
        line: 3,
        column: "Code établissement",
        reason: "doublon de la ligne 2 (même UAI, période et ventilation)",
      },
    });
  });

  it("reads a breakdown column and a fixed period, refusing an option without correspondence", () => {
    const m = importMapping.parse({
      ...mapping,
      period: { fixed: "2024-2025" },
      columns: [{ column: "Élèves", dataElement: "pupils_enrolled", disaggregation: { sex: "girls" } }],
      breakdown: {
        column: "Niveau",
        disaggregation: "level",
        options: { "3e": "troisieme", Terminale: "terminale" },
      },
    });
    const h = header(["UAI", "Niveau", "Élèves"], ["uai", "breakdown", "value:0"]);
    const { outcomes } = run(
      [
        ["0350001A", "3E", "40"],
        ["0350001A", "CM2", "30"],
      ],
      m,
      h,
    );
    expect(valuesOf(outcomes)).toEqual([
      {
        uai: "0350001A",
        dataElement: "pupils_enrolled",
        period: "2024-2025",
        disaggregation: { sex: "girls", level: "troisieme" },
        value: 40,
      },
    ]);
    expect(outcomes[1]).toMatchObject({ kind: "rejected", issues: [{ column: "Niveau" }] });
  });

  it("refuses a mapping that maps one column twice", () => {
    const r = importMapping.safeParse({
      ...mapping,
      columns: [
        { column: "TNI", dataElement: "interactive_boards" },
        { column: "tni", dataElement: "computers" },
      ],
    });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe("La colonne « tni » est associée deux fois.");
  });

  it("never throws on arbitrary cells and gives the same values whatever the row order", () => {
    const cellArb = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.constantFrom("NA", "", "12", "3,5", "2024-2025", "0350001A"),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cellArb, { minLength: 0, maxLength: 6 }), { maxLength: 30 }), (rows) => {
        const { outcomes } = run(rows);
        expect(outcomes).toHaveLength(rows.length);
      }),
    );
    const uniqueRows = fc.uniqueArray(fc.tuple(fc.integer({ min: 1, max: 99 }), fc.nat(500), fc.nat(50)), {
      selector: (r) => r[0],
      maxLength: 40,
    });
    fc.assert(
      fc.property(uniqueRows, (rows) => {
        const cells = rows.map(([s, a, b]) => [
          `03500${String(s).padStart(2, "0")}A`,
          "2024-2025",
          String(a),
          String(b),
        ]);
        const sort = (v: ProfileValue[]) => v.map((x) => JSON.stringify(x)).sort();
        const forward = sort(valuesOf(run(cells).outcomes));
        const backward = sort(valuesOf(run([...cells].reverse()).outcomes));
        expect(backward).toEqual(forward);
      }),
    );
  });
});
