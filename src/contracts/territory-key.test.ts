import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACADEMIC_REGIONS, ACADEMIES, DEPARTMENTS } from "./referential.ts";
import { territoryParam } from "./territory-param.ts";
import { NODE_LEVELS, nodeKey, readNodeKey, TERRITORY_LEVELS } from "./territory-tree.ts";

describe("readNodeKey: one reader of a territory for every route", () => {
  it("reads the nation as FR and nation:FR, in any case", () => {
    for (const raw of ["FR", "fr", " nation:FR ", "nation:fr"])
      expect(readNodeKey(raw)).toEqual({ ok: true, node: { level: "nation", code: "FR" } });
  });

  it("reads level:code as written", () => {
    expect(readNodeKey("academy:04")).toEqual({ ok: true, node: { level: "academy", code: "04" } });
    expect(readNodeKey("district:C-033-xxx")).toEqual({
      ok: true,
      node: { level: "district", code: "C-033-xxx" },
    });
  });

  it("reads a code alone when it names one node: a département, a school, a district", () => {
    expect(readNodeKey("2A")).toEqual({ ok: true, node: { level: "department", code: "2A" } });
    expect(readNodeKey("971")).toEqual({ ok: true, node: { level: "department", code: "971" } });
    expect(readNodeKey("05")).toEqual({ ok: true, node: { level: "department", code: "05" } });
    expect(readNodeKey("0330001a")).toEqual({ ok: true, node: { level: "school", code: "0330001A" } });
    expect(readNodeKey("C-033-bordeaux")).toEqual({
      ok: true,
      node: { level: "district", code: "C-033-bordeaux" },
    });
  });

  it("refuses 04 alone, listing its three candidates in French", () => {
    const reading = readNodeKey("04");
    expect(reading).toEqual({
      ok: false,
      candidates: ["academicRegion:04", "academy:04", "department:04"],
      reason:
        "Territoire « 04 » ambigu : academicRegion:04 (région académique La Réunion), academy:04 (académie Bordeaux), department:04 (département Alpes-de-Haute-Provence). Précisez le niveau, par exemple academicRegion:04",
    });
  });

  it("lets the allowed levels decide: 04 is the académie where only académies are accepted", () => {
    expect(readNodeKey("04", ["academy"])).toEqual({ ok: true, node: { level: "academy", code: "04" } });
    expect(readNodeKey("04", ["academy", "department"])).toMatchObject({
      ok: false,
      candidates: ["academy:04", "department:04"],
    });
  });

  it("refuses a school where only territories are accepted, and what it cannot read", () => {
    expect(readNodeKey("school:0330001A", TERRITORY_LEVELS)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("un établissement ne convient pas"),
    });
    expect(readNodeKey("0330001A", TERRITORY_LEVELS)).toMatchObject({ ok: false, candidates: [] });
    for (const raw of ["", "xyz", "planet:earth", "nation:BE", "academy:", "99"])
      expect(readNodeKey(raw)).toMatchObject({ ok: false, reason: expect.stringMatching(/^Territoire /) });
  });

  it("echoes at most 40 characters of what it cannot read", () => {
    const reading = readNodeKey("x".repeat(5_000));
    expect(reading.ok).toBe(false);
    if (!reading.ok) expect(reading.reason.length).toBeLessThan(300);
  });

  it("property: every key nodeKey writes reads back to its node", () => {
    const nodes = [
      { level: "nation" as const, code: "FR" },
      ...ACADEMIC_REGIONS.map((r) => ({ level: "academicRegion" as const, code: r.code })),
      ...ACADEMIES.map((a) => ({ level: "academy" as const, code: a.code })),
      ...DEPARTMENTS.map((d) => ({ level: "department" as const, code: d.code })),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...nodes), (node) => {
        expect(readNodeKey(nodeKey(node))).toEqual({ ok: true, node });
      }),
    );
  });

  it("property: a code alone is read iff exactly one allowed node has it, and then as that node", () => {
    const codes = [...new Set([...ACADEMIC_REGIONS, ...ACADEMIES, ...DEPARTMENTS].map((x) => x.code))];
    fc.assert(
      fc.property(
        fc.constantFrom(...codes),
        fc.subarray([...NODE_LEVELS], { minLength: 1 }),
        (code, allowed) => {
          const matches = [
            ...(allowed.includes("academicRegion")
              ? ACADEMIC_REGIONS.filter((r) => r.code === code)
              : []
            ).map(() => "academicRegion"),
            ...(allowed.includes("academy") ? ACADEMIES.filter((a) => a.code === code) : []).map(
              () => "academy",
            ),
            ...(allowed.includes("department") ? DEPARTMENTS.filter((d) => d.code === code) : []).map(
              () => "department",
            ),
          ];
          const reading = readNodeKey(code, allowed);
          if (matches.length === 1) expect(reading).toEqual({ ok: true, node: { level: matches[0], code } });
          else {
            expect(reading.ok).toBe(false);
            if (!reading.ok) expect(reading.candidates).toEqual(matches.map((level) => `${level}:${code}`));
          }
        },
      ),
    );
  });
});

describe("territoryParam", () => {
  const param = territoryParam(TERRITORY_LEVELS);
  it("gives the handler the canonical key", () => {
    expect(param.parse("FR")).toBe("nation:FR");
    expect(param.parse("2A")).toBe("department:2A");
    expect(param.parse("academy:04")).toBe("academy:04");
  });
  it("refuses with the reader's French reason", () => {
    const result = param.safeParse("04");
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/^Territoire « 04 » ambigu : /);
  });
});
