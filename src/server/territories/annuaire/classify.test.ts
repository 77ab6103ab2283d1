import { describe, expect, it } from "vitest";
import { priorityEducationOf, schoolSectorOf, schoolTypeOf } from "./classify.ts";

const type = (
  natureCode: string | null,
  typeLabel: string | null = null,
  nursery = false,
  elementary = false,
) => schoolTypeOf({ natureCode, typeLabel, nursery, elementary });

describe("schoolTypeOf", () => {
  it.each([
    ["101", "ecole_maternelle"],
    ["111", "ecole_maternelle"],
    ["151", "ecole_elementaire"],
    ["170", "ecole_elementaire"],
    ["340", "college"],
    ["352", "college"],
    ["300", "lycee_gt"],
    ["302", "lycee_gt"],
    ["306", "lycee_polyvalent"],
    ["320", "lycee_professionnel"],
    ["334", "lycee_professionnel"],
    ["307", "lycee_agricole"],
    ["370", "erea"],
    ["240", "medico_social"],
    ["809", "administration"],
    ["380", "autre"],
  ])("nature %s → %s", (code, expected) => {
    expect(type(code)).toBe(expected);
  });

  it("makes an elementary school with nursery classes an école primaire", () => {
    expect(type("151", "Ecole", true, true)).toBe("ecole_primaire");
    expect(type("151", "Ecole", false, true)).toBe("ecole_elementaire");
  });

  it("falls back on Type_etablissement when the nature code says nothing", () => {
    expect(type(null, "Collège")).toBe("college");
    expect(type("999", "Lycée")).toBe("lycee_gt");
    expect(type(null, "Ecole", true, false)).toBe("ecole_maternelle");
    expect(type("", "Service Administratif")).toBe("administration");
    expect(type(null, "Médico-social")).toBe("medico_social");
    expect(type(null, null)).toBe("autre");
  });
});

describe("schoolSectorOf", () => {
  const sector = (
    publicPrivate: string | null,
    contractCode: string | null,
    contractLabel: string | null = null,
  ) => schoolSectorOf({ publicPrivate, contractCode, contractLabel });
  it("reads public, private under contract and private without contract", () => {
    expect(sector("Public", "99")).toBe("public");
    expect(sector("Privé", "30", "CONTRAT D'ASSOCIATION TOUTES CLASSES")).toBe("private_contract");
    expect(sector("Privé", "21", "C0NTRAT SIMPLE POUR PARTIE DES CLASSES")).toBe("private_contract");
    expect(sector("Privé", "10", "")).toBe("private_no_contract");
    expect(sector("Prive", null, "HORS CONTRAT")).toBe("private_no_contract");
  });
  it("takes an empty status (administrative services) as public", () => {
    expect(sector("", "99")).toBe("public");
    expect(sector(null, null)).toBe("public");
  });
});

describe("priorityEducationOf", () => {
  it("reads REP and REP+, and nothing else", () => {
    expect(priorityEducationOf("REP")).toBe("REP");
    expect(priorityEducationOf("REP+")).toBe("REP+");
    expect(priorityEducationOf(" rep + ")).toBe("REP+");
    expect(priorityEducationOf("Hors éducation prioritaire")).toBeNull();
    expect(priorityEducationOf(null)).toBeNull();
  });
});
