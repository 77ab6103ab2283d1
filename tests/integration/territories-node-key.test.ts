import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppError, DatabaseHandle } from "../../src/server/platform/index.ts";
import {
  generateDemoSchools,
  loadDemo,
  resolveNodeKey,
  TERRITORY_LEVELS,
} from "../../src/server/territories/index.ts";
import { openTestDatabase, testEngine } from "../helpers/db.ts";

/**
 * `resolveNodeKey`, the one reader of a territory key on the server (territories' door): what it
 * resolves, and the refusal (status, code, French message naming the field and the reason) every
 * route and command that takes a territory gives.
 */

/** The refusal `resolveNodeKey` throws for `key`, or a failure if it resolves. */
async function refusal(
  handle: DatabaseHandle,
  key: string,
  rule: Parameters<typeof resolveNodeKey>[2],
): Promise<AppError> {
  try {
    await resolveNodeKey(handle.db, key, rule);
  } catch (error) {
    return error as AppError;
  }
  throw new Error(`« ${key} » résolu au lieu d'être refusé`);
}

describe(`resolveNodeKey on ${testEngine}`, () => {
  let handle: DatabaseHandle;
  const school = generateDemoSchools("tiny").find((s) => s.status === "open" && s.circonscription);
  beforeAll(async () => {
    handle = await openTestDatabase();
    await loadDemo(handle.db, "tiny");
  });
  afterAll(async () => handle?.close());

  it("resolves the nation, written nation:FR, FR or nation:fr", async () => {
    for (const key of ["nation:FR", "FR", " nation:fr "]) {
      const node = await resolveNodeKey(handle.db, key, { field: "territory" });
      expect(node.ref, key).toEqual({ level: "nation", code: "FR", name: "France" });
      expect(node.ancestors).toEqual([]);
    }
  });

  it("resolves an académie with its ancestors, and a département written 033 or 2a", async () => {
    const academy = await resolveNodeKey(handle.db, "academy:16", { field: "territory" });
    expect(academy.ref).toEqual({ level: "academy", code: "16", name: "Toulouse" });
    expect(academy.ancestors.map((a) => `${a.level}:${a.code}`)).toEqual(["academicRegion:76", "nation:FR"]);
    expect(academy.academyCode).toBe("16");
    expect((await resolveNodeKey(handle.db, "department:033", { field: "territory" })).ref).toMatchObject({
      level: "department",
      code: "33",
      name: "Gironde",
    });
    expect((await resolveNodeKey(handle.db, "department:2a", { field: "territory" })).ref.code).toBe("2A");
  });

  it("resolves a school by its UAI (any case) with its district, and a district", async () => {
    expect(school).toBeDefined();
    const uai = school?.uai as string;
    const node = await resolveNodeKey(handle.db, `school:${uai.toLowerCase()}`, { field: "uai" });
    expect(node.ref).toEqual({ level: "school", code: uai, name: school?.name });
    expect(node.school?.id).toMatch(/.+/);
    expect(node.ancestors[0]).toEqual({
      level: "district",
      code: school?.circonscription?.code,
      name: school?.circonscription?.name,
    });
    expect(node.academyCode).toBe(school?.academyCode);
    const district = await resolveNodeKey(handle.db, `district:${school?.circonscription?.code}`, {
      field: "territory",
    });
    expect(district.ref.level).toBe("district");
  });

  it("refuses a malformed key: 400 invalid_territory, the field named, the forms expected", async () => {
    for (const key of ["", "academy", "planet:3", "nation:DE", "academy:"]) {
      const error = await refusal(handle, key, { field: "territory" });
      expect(error.status, key).toBe(400);
      expect(error.code).toBe("invalid_territory");
      expect(error.message).toMatch(
        /^territory : Territoire (manquant|« .* » non reconnu) : écrivez FR, niveau:code/,
      );
      expect(error.details).toBeUndefined();
    }
  });

  it("refuses an ambiguous code with its candidates, and a level the caller does not take", async () => {
    const ambiguous = await refusal(handle, "04", { field: "target.territory" });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.message).toContain("target.territory : Territoire « 04 » ambigu");
    for (const key of ["academicRegion:04", "academy:04", "department:04"])
      expect(ambiguous.message).toContain(key);
    const schoolHere = await refusal(handle, `school:${school?.uai}`, {
      field: "territory",
      levels: TERRITORY_LEVELS,
    });
    expect(schoolHere.status).toBe(400);
    expect(schoolHere.code).toBe("invalid_territory");
    expect(schoolHere.message).toContain("refusé ici : un établissement ne convient pas");
  });

  it("refuses a well-formed key that names no territory: 400, or 404 for a page", async () => {
    const academy = await refusal(handle, "academy:99", { field: "territory" });
    expect([academy.status, academy.code]).toEqual([400, "invalid_territory"]);
    expect(academy.message).toBe("territory : Territoire « academy:99 » inconnu : pas d'académie de code 99");
    const page = await refusal(handle, "department:99", { field: "territory", unknown: "notFound" });
    expect([page.status, page.code]).toEqual([404, "not_found"]);
    expect(page.message).toBe(
      "territory : Territoire « department:99 » inconnu : pas de département de code 99",
    );
    const merged = await refusal(handle, "academy:05", { field: "--territory" });
    expect(merged.message).toBe(
      "--territory : Territoire « academy:05 » inconnu : l'académie 05 n'existe plus, écrivez academy:70",
    );
    const district = await refusal(handle, "district:C-999-zzz", { field: "territory" });
    expect(district.message).toContain("pas de district de code C-999-zzz dans Vigie");
  });

  it("refuses an unknown school, naming its UAI", async () => {
    const error = await refusal(handle, "school:0000001z", { field: "uai", unknown: "notFound" });
    expect([error.status, error.code]).toEqual([404, "not_found"]);
    expect(error.message).toBe(
      "uai : Établissement « school:0000001z » inconnu : pas d'établissement d'UAI 0000001Z dans Vigie (importez l'Annuaire de l'éducation)",
    );
  });
});
