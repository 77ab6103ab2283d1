import { describe, expect, it } from "vitest";
import { codeCell, countCell, dateCell, decimalCell, neutralizeFormula, textCell } from "./csv-cells.ts";

describe("cell values", () => {
  it("reads decimals with a point or a comma, and NA as missing", () => {
    expect(decimalCell("48,1113")).toBe(48.1113);
    expect(decimalCell("-1.68")).toBe(-1.68);
    expect(decimalCell("5e-7")).toBe(5e-7);
    expect(decimalCell("NA")).toBeNull();
    expect(decimalCell("")).toBeNull();
    expect(decimalCell("-0")).toBe(0);
    expect(Object.is(decimalCell("-0"), -0)).toBe(false);
    expect(decimalCell("48°N")).toBe("invalid");
  });

  it("reads counts as non-negative integers, spaces as thousands separators", () => {
    expect(countCell("1 204")).toBe(1204);
    expect(countCell("0")).toBe(0);
    expect(countCell("")).toBeNull();
    expect(countCell("-3")).toBe("invalid");
    expect(countCell("12.5")).toBe("invalid");
  });

  it("reads ISO and French dates, and refuses impossible ones", () => {
    expect(dateCell("1965-10-01")).toBe("1965-10-01");
    expect(dateCell("2023-06-08T00:00:00")).toBe("2023-06-08");
    expect(dateCell("01/09/2026")).toBe("2026-09-01");
    expect(dateCell("2023-02-30")).toBe("invalid");
    expect(dateCell("hier")).toBe("invalid");
    expect(dateCell("")).toBeNull();
  });

  it("trims codes and texts, empties become null", () => {
    expect(codeCell(" 35238 ")).toBe("35238");
    expect(codeCell("  ")).toBeNull();
    expect(textCell(" Rennes ")).toBe("Rennes");
    expect(textCell(undefined)).toBeNull();
  });

  it("undoes exactly the neutralisation of formulas", () => {
    for (const text of ["=SOMME(A1)", "-Collège", "+33", "@home", "'=x", "''-y", "'quoted", "Normal"]) {
      expect(textCell(neutralizeFormula(text))).toBe(text);
    }
    expect(neutralizeFormula("=1+1")).toBe("'=1+1");
    expect(neutralizeFormula("Normal")).toBe("Normal");
  });
});
