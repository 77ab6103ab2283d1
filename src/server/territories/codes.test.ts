import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkUai, isValidUai, makeUai, normalizeDepartmentCode, uaiCheckLetter } from "./codes.ts";
import { ACADEMIC_REGIONS, ACADEMIES, DEPARTMENTS } from "./referential.ts";

describe("UAI", () => {
  it("accepts real UAIs", () => {
    for (const uai of ["0350122T", "0350165P", "0352443R", "0010005A"]) expect(isValidUai(uai)).toBe(true);
  });
  it("explains why a UAI is rejected", () => {
    expect(checkUai("")).toEqual({ ok: false, reason: "UAI manquant" });
    expect(checkUai("035012T")).toMatchObject({ ok: false, reason: expect.stringContaining("mal formé") });
    expect(checkUai("0350122A")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("devrait être T"),
    });
  });
  it("accepts lower case and surrounding spaces", () => {
    expect(checkUai(" 0350122t ")).toEqual({ ok: true, uai: "0350122T" });
  });
  it("validates every 7-digit number with its computed letter (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999 }), (n) => {
        expect(isValidUai(makeUai(n))).toBe(true);
      }),
    );
  });
  it("rejects every other letter (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9_999_999 }),
        fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ".split("")),
        (n, letter) => {
          const digits = String(n).padStart(7, "0");
          fc.pre(letter !== uaiCheckLetter(digits));
          expect(isValidUai(digits + letter)).toBe(false);
        },
      ),
    );
  });
});

describe("département codes", () => {
  it.each([
    ["035", "35"],
    ["35", "35"],
    ["1", "01"],
    ["001", "01"],
    ["620", "2A"],
    ["720", "2B"],
    ["2a", "2A"],
    ["971", "971"],
    ["976", "976"],
  ])("%s → %s", (raw, code) => expect(normalizeDepartmentCode(raw)).toBe(code));
  it.each(["", "20", "96", "0", "ABC", "999", "977x"])("rejects %s", (raw) =>
    expect(normalizeDepartmentCode(raw)).toBeUndefined(),
  );
});

describe("referential", () => {
  it("has 18 régions académiques, 30 académies, 101 départements", () => {
    expect(ACADEMIC_REGIONS).toHaveLength(18);
    expect(ACADEMIES).toHaveLength(30);
    expect(DEPARTMENTS).toHaveLength(101);
    const codes = ACADEMIES.map((a) => a.code);
    expect(codes).toContain("43");
    expect(codes).toContain("70");
    expect(new Set(ACADEMIES.flatMap((a) => a.departmentCodes)).size).toBe(101);
  });
  it("every académie belongs to a known région académique, each of which has one", () => {
    const regions = new Set(ACADEMIC_REGIONS.map((r) => r.code));
    for (const a of ACADEMIES) expect(regions.has(a.academicRegionCode)).toBe(true);
    expect(new Set(ACADEMIES.map((a) => a.academicRegionCode)).size).toBe(18);
  });
  it("is consistent with the COG région of each département", () => {
    for (const d of DEPARTMENTS) expect(d.academicRegionCode).toBeDefined();
    expect(DEPARTMENTS.find((d) => d.code === "2A")?.academyCode).toBe("27");
    expect(DEPARTMENTS.find((d) => d.code === "974")?.academyCode).toBe("28");
  });
});
