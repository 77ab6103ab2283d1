import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import { parseIndicatorCatalogue } from "./catalogue-file.ts";
import { valueRule } from "./domain/bounds.ts";

/** The bounds a data element may declare in the catalogue (issue 9): checked when the file is read. */

let text: string;
const COMPUTERS = "  - code: computers\n    name: Ordinateurs à usage pédagogique\n    valueType: integer\n";
const withComputers = (extra: string) => text.replace(COMPUTERS, `${COMPUTERS}${extra}`);

beforeAll(async () => {
  text = await readFile(new URL("../../../data/templates/indicators.yaml", import.meta.url), "utf8");
  expect(text).toContain(COMPUTERS);
});

describe("declared bounds of a data element", () => {
  it("replace the type's defaults", () => {
    const catalogue = parseIndicatorCatalogue(withComputers("    min: 1\n    max: 5000\n"));
    const computers = catalogue.dataElements.find((e) => e.code === "computers");
    expect(computers && valueRule(computers)).toEqual({ valueType: "integer", min: 1, max: 5000 });
    const plain = parseIndicatorCatalogue(text).dataElements.find((e) => e.code === "computers");
    expect(plain && valueRule(plain)).toEqual({ valueType: "integer", min: 0, max: 1e9 });
  });

  it("are refused when the maximum is below the minimum, too large, or set on a yes/no element", () => {
    expect(() => parseIndicatorCatalogue(withComputers("    min: 10\n    max: 5\n"))).toThrow(
      /dataElements\[\d+\]\.max.*maximum 5 inférieur au minimum 10/,
    );
    expect(() => parseIndicatorCatalogue(withComputers("    max: 1.0e13\n"))).toThrow(/max/);
    const yesNo =
      "  - code: school_pix_back_to_school_campaign\n    name: Établissement ayant lancé une campagne Pix de rentrée\n    valueType: boolean\n";
    expect(text).toContain(yesNo);
    expect(() => parseIndicatorCatalogue(text.replace(yesNo, `${yesNo}    max: 3\n`))).toThrow(
      /un élément oui\/non vaut 0 ou 1/,
    );
  });
});
