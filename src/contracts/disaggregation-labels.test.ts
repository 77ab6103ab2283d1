import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DISAGGREGATION_OPTION_LABELS, disaggregationLabel } from "./disaggregation-labels.ts";

const CATALOGUE = new URL("../../data/templates/indicators.yaml", import.meta.url);

describe("breakdown labels", () => {
  it("label every option of the catalogue, and nothing it does not have", () => {
    const catalogue = parse(fs.readFileSync(CATALOGUE, "utf8")) as {
      disaggregations: { code: string; options: { code: string }[] }[];
    };
    const expected = Object.fromEntries(
      catalogue.disaggregations.map((d) => [d.code, d.options.map((o) => o.code).sort()]),
    );
    const labelled = Object.fromEntries(
      Object.entries(DISAGGREGATION_OPTION_LABELS).map(([code, options]) => [
        code,
        Object.keys(options).sort(),
      ]),
    );
    expect(labelled).toEqual(expected);
  });

  it("print the French label of a roadmap breakdown or a series key, never the raw codes", () => {
    expect(disaggregationLabel({ level: "troisieme" })).toBe("3e");
    expect(disaggregationLabel("level=terminale")).toBe("Terminale");
    expect(disaggregationLabel("sex=girls,level=troisieme")).toBe("3e, Filles");
    expect(disaggregationLabel({ sex: "boys", level: "seconde" })).toBe("2de, Garçons");
    expect(disaggregationLabel("")).toBe("");
    expect(disaggregationLabel(undefined)).toBe("");
    expect(disaggregationLabel({ colour: "blue" })).toBe("colour : blue");
  });
});
