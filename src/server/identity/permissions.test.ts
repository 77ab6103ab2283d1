import { describe, expect, it } from "vitest";
import {
  can,
  createTerritoryIndex,
  decide,
  formatScope,
  type PermissionTarget,
  type Principal,
  parseScope,
  ROLES,
  type Role,
  type SchoolPlace,
  type Scope,
  schoolPath,
  scopeContainsSchool,
  scopeContainsTerritory,
  scopeFromStored,
  scopeNode,
  scopesWith,
} from "./permissions.ts";

const ok = (role: Role, text: string): Scope => {
  const r = parseScope(role, text);
  if (!r.ok) throw new Error(r.error);
  return r.scope;
};
const err = (role: Role, text: string): string => {
  const r = parseScope(role, text);
  if (r.ok) throw new Error(`accepté : ${JSON.stringify(r.scope)}`);
  return r.error;
};

// A collège public in Bordeaux (33, académie 04, région académique 75), its districts.
const college: SchoolPlace = {
  uai: "0331234M",
  departmentCode: "33",
  academyCode: "04",
  academicRegionCode: "75",
  bassinCode: "B-043301",
  circonscriptionCode: null,
  communeCode: "33063",
  type: "college",
  sector: "public",
};
const ecole: SchoolPlace = {
  ...college,
  uai: "0331502D",
  type: "ecole_primaire",
  circonscriptionCode: "C-0331111D",
};
const privateLycee: SchoolPlace = {
  ...college,
  uai: "0331503E",
  type: "lycee_professionnel",
  sector: "private_contract",
};
const lycee: SchoolPlace = { ...college, uai: "0331504F", type: "lycee_gt" };
const poitiersCollege: SchoolPlace = {
  ...college,
  uai: "0860001J",
  departmentCode: "86",
  academyCode: "13",
  communeCode: "86194",
  bassinCode: null,
};

describe("parseScope", () => {
  it("reads the code alone when the role fixes the level", () => {
    expect(ok("national-admin", "FR")).toEqual({ kind: "territory", level: "nation", code: "FR" });
    expect(ok("region-steering", "75")).toEqual({ kind: "territory", level: "academicRegion", code: "75" });
    expect(ok("academy-steering", "04")).toEqual({ kind: "territory", level: "academy", code: "04" });
    expect(ok("department", "033")).toEqual({ kind: "territory", level: "department", code: "33" });
    expect(ok("department", "2a")).toEqual({ kind: "territory", level: "department", code: "2A" });
    expect(ok("district", "C-0331234A")).toEqual({
      kind: "territory",
      level: "district",
      code: "C-0331234A",
    });
    expect(ok("school-head", " 0331234m ")).toEqual({ kind: "territory", level: "school", code: "0331234M" });
    expect(ok("school-referent", "school:0331234M").code).toBe("0331234M");
    expect(ok("academy-steering", "academy:04").code).toBe("04");
  });

  it("asks for level:code when the role does not fix the level", () => {
    expect(ok("reader", "FR")).toEqual({ kind: "territory", level: "nation", code: "FR" });
    expect(ok("reader", "academy:04")).toEqual({ kind: "territory", level: "academy", code: "04" });
    expect(ok("reader", "0331234M")).toEqual({ kind: "territory", level: "school", code: "0331234M" });
    expect(err("reader", "04")).toMatch(/Précisez le niveau/);
    expect(ok("local-authority", "region:75")).toEqual({
      kind: "localAuthority",
      level: "region",
      code: "75",
    });
    expect(ok("local-authority", "department:33")).toEqual({
      kind: "localAuthority",
      level: "department",
      code: "33",
    });
    expect(ok("local-authority", "commune:33063")).toEqual({
      kind: "localAuthority",
      level: "commune",
      code: "33063",
    });
    expect(ok("local-authority", "commune:2a004").code).toBe("2A004");
    expect(ok("local-authority", "commune:97411").code).toBe("97411");
  });

  it("explains in French what is wrong", () => {
    expect(err("academy-steering", "99")).toBe("Académie « 99 » inconnue (ex. 04 Bordeaux)");
    expect(err("academy-steering", "05")).toBe("L'académie « 05 » n'existe plus : utilisez 70");
    expect(err("academy-steering", "department:33")).toBe(
      "Le rôle academy-steering porte sur une académie, pas sur un département (« department:33 »)",
    );
    expect(err("national-admin", "academy:04")).toMatch(/porte sur la nation/);
    expect(err("region-steering", "99")).toMatch(/Région académique « 99 » inconnue/);
    expect(err("department", "20")).toMatch(/Département « 20 » inconnu/);
    expect(err("district", "33-foo")).toMatch(/mal formé/);
    expect(err("school-head", "0331234A")).toMatch(/lettre de contrôle/);
    expect(err("local-authority", "33")).toMatch(/collectivité/);
    expect(err("local-authority", "FR")).toMatch(/collectivité/);
    expect(err("local-authority", "commune:99999")).toMatch(/Commune « 99999 » inconnue/);
    expect(err("reader", "planet:earth")).toMatch(/Niveau « planet » inconnu/);
    expect(err("reader", "nation:XX")).toMatch(/La nation s'écrit FR/);
    expect(err("reader", "  ")).toBe("Territoire manquant");
  });

  it("formats scopes so that they read back", () => {
    for (const [role, text] of [
      ["national-admin", "nation:FR"],
      ["reader", "district:B-043301"],
      ["local-authority", "commune:33063"],
      ["school-head", "school:0331234M"],
    ] as const) {
      expect(formatScope(ok(role, text))).toBe(text);
    }
    // One spelling for the nation: `FR` is read, `nation:FR` is written.
    expect(formatScope(ok("national-admin", "FR"))).toBe("nation:FR");
  });

  it("rebuilds stored scopes only when they fit the role", () => {
    expect(scopeFromStored("academy-steering", "academy", "04")).toEqual({
      kind: "territory",
      level: "academy",
      code: "04",
    });
    expect(scopeFromStored("academy-steering", "department", "33")).toBeNull();
    expect(scopeFromStored("local-authority", "commune", "33063")?.kind).toBe("localAuthority");
    expect(scopeFromStored("local-authority", "academy", "04")).toBeNull();
    expect(scopeFromStored("reader", "school", "0331234M")?.level).toBe("school");
  });
});

describe("scopeContainsSchool", () => {
  it("follows the materialised ancestors", () => {
    expect(scopeContainsSchool(ok("national-admin", "FR"), college)).toBe(true);
    expect(scopeContainsSchool(ok("region-steering", "75"), college)).toBe(true);
    expect(scopeContainsSchool(ok("academy-steering", "04"), college)).toBe(true);
    expect(scopeContainsSchool(ok("academy-steering", "13"), college)).toBe(false);
    expect(scopeContainsSchool(ok("department", "33"), college)).toBe(true);
    expect(scopeContainsSchool(ok("department", "24"), college)).toBe(false);
    expect(scopeContainsSchool(ok("district", "B-043301"), college)).toBe(true);
    expect(scopeContainsSchool(ok("district", "C-0331111D"), ecole)).toBe(true);
    expect(scopeContainsSchool(ok("district", "C-0331111D"), college)).toBe(false);
    expect(scopeContainsSchool(ok("school-head", "0331234M"), college)).toBe(true);
    expect(scopeContainsSchool(ok("school-head", "0331234M"), ecole)).toBe(false);
  });

  it("gives a local authority the public schools it funds", () => {
    const region = ok("local-authority", "region:75");
    const dep = ok("local-authority", "department:33");
    const commune = ok("local-authority", "commune:33063");
    expect([college, ecole, lycee, privateLycee].map((s) => scopeContainsSchool(region, s))).toEqual([
      false,
      false,
      true,
      false,
    ]);
    expect([college, ecole, lycee, privateLycee].map((s) => scopeContainsSchool(dep, s))).toEqual([
      true,
      false,
      false,
      false,
    ]);
    expect([college, ecole, lycee, privateLycee].map((s) => scopeContainsSchool(commune, s))).toEqual([
      false,
      true,
      false,
      false,
    ]);
    expect(scopeContainsSchool({ ...commune, code: "33064" }, ecole)).toBe(false);
    expect(scopeContainsSchool(ok("local-authority", "region:75"), { ...lycee, type: "erea" })).toBe(true);
  });
});

describe("scopeContainsTerritory", () => {
  const index = createTerritoryIndex(
    [
      { code: "B-043301", departmentCode: "33" },
      { code: "C-0331111D", departmentCode: "33" },
    ],
    [college, ecole],
  );
  const node = (level: string, code: string) => ({ level, code }) as Parameters<typeof index.pathOf>[0];

  it("holds a node and its descendants, not its ancestors", () => {
    const academy = ok("academy-steering", "04");
    expect(scopeContainsTerritory(academy, node("academy", "04"), index)).toBe(true);
    expect(scopeContainsTerritory(academy, node("department", "33"), index)).toBe(true);
    expect(scopeContainsTerritory(academy, node("department", "86"), index)).toBe(false);
    expect(scopeContainsTerritory(academy, node("district", "B-043301"), index)).toBe(true);
    expect(scopeContainsTerritory(academy, node("commune", "33063"), index)).toBe(true);
    expect(scopeContainsTerritory(academy, node("school", "0331234M"), index)).toBe(true);
    expect(scopeContainsTerritory(academy, node("academicRegion", "75"), index)).toBe(false);
    expect(scopeContainsTerritory(academy, node("nation", "FR"), index)).toBe(false);
    const district = ok("district", "C-0331111D");
    expect(scopeContainsTerritory(district, node("school", "0331502D"), index)).toBe(true);
    expect(scopeContainsTerritory(district, node("school", "0331234M"), index)).toBe(false);
    expect(scopeContainsTerritory(district, node("department", "33"), index)).toBe(false);
  });

  it("holds unknown nodes only from the nation", () => {
    expect(scopeContainsTerritory(ok("national-admin", "FR"), node("district", "B-unknown"), index)).toBe(
      true,
    );
    expect(scopeContainsTerritory(ok("academy-steering", "04"), node("district", "B-unknown"), index)).toBe(
      false,
    );
    expect(scopeContainsTerritory(ok("academy-steering", "04"), node("school", "0339999X"), index)).toBe(
      false,
    );
  });

  it("gives a local authority its schools, no territory node", () => {
    const dep = ok("local-authority", "department:33");
    expect(scopeContainsTerritory(dep, node("school", "0331234M"), index)).toBe(true);
    expect(scopeContainsTerritory(dep, node("school", "0331502D"), index)).toBe(false);
    expect(scopeContainsTerritory(dep, node("department", "33"), index)).toBe(false);
  });
});

describe("can", () => {
  const principal = (...grants: [Role, string][]): Principal => ({
    userId: "1",
    email: "x@example.fr",
    roles: grants.map(([role, text]) => ({ role, scope: ok(role, text) })),
  });
  const index = createTerritoryIndex([{ code: "B-043301", departmentCode: "33" }]);
  const grant = (role: Role, text: string): PermissionTarget => {
    const path = index.pathOf(scopeNode(ok(role, text)));
    if (!path) throw new Error(text);
    return { kind: "grant", role, path };
  };

  it("lets anyone read public data and signed-in users reach their account", () => {
    expect(can(null, "public")).toBe(true);
    expect(can(null, "authenticated")).toBe(false);
    expect(can(principal(["reader", "FR"]), "authenticated")).toBe(true);
    expect(can(principal(), "authenticated")).toBe(true);
    expect(decide(null, "import.annuaire")).toBe("unauthenticated");
    expect(decide(principal(["reader", "FR"]), "import.annuaire")).toBe("forbidden");
  });

  it("applies the permission table role by role", () => {
    const table: Record<Role, string[]> = {
      "national-admin": ["import.annuaire", "users.manage", "audit.read", "settings.manage"],
      "region-steering": ["import.annuaire", "users.manage", "audit.read"],
      "academy-steering": ["import.annuaire", "users.manage", "audit.read"],
      department: ["users.manage"],
      district: [],
      "school-head": [],
      "school-referent": [],
      "local-authority": [],
      reader: [],
    };
    const scopes: Record<Role, string> = {
      "national-admin": "FR",
      "region-steering": "75",
      "academy-steering": "04",
      department: "33",
      district: "B-043301",
      "school-head": "0331234M",
      "school-referent": "0331234M",
      "local-authority": "region:75",
      reader: "FR",
    };
    for (const role of ROLES) {
      const p = principal([role, scopes[role]]);
      const held = (["import.annuaire", "users.manage", "audit.read", "settings.manage"] as const).filter(
        (perm) => can(p, perm),
      );
      expect(held, role).toEqual(table[role]);
    }
  });

  it("checks the target against the scope", () => {
    const dane = principal(["academy-steering", "04"]);
    expect(can(dane, "import.annuaire", { kind: "school", school: college })).toBe(true);
    expect(can(dane, "import.annuaire", { kind: "school", school: poitiersCollege })).toBe(false);
    expect(can(dane, "audit.read", { kind: "territory", path: schoolPath(college) })).toBe(true);
    expect(scopesWith(dane, "audit.read")).toEqual([ok("academy-steering", "04")]);
    expect(scopesWith(dane, "settings.manage")).toEqual([]);
    expect(scopesWith(null, "audit.read")).toEqual([]);
  });

  it("grants only roles at or below one's own, inside one's scope", () => {
    const dane = principal(["academy-steering", "04"]);
    expect(can(dane, "users.manage", grant("academy-steering", "04"))).toBe(true);
    expect(can(dane, "users.manage", grant("department", "33"))).toBe(true);
    expect(can(dane, "users.manage", grant("district", "B-043301"))).toBe(true);
    expect(can(dane, "users.manage", grant("local-authority", "commune:33063"))).toBe(true);
    expect(can(dane, "users.manage", grant("local-authority", "region:75"))).toBe(false);
    expect(can(dane, "users.manage", grant("region-steering", "75"))).toBe(false);
    expect(can(dane, "users.manage", grant("academy-steering", "13"))).toBe(false);
    expect(can(dane, "users.manage", grant("national-admin", "FR"))).toBe(false);
    const dasen = principal(["department", "33"]);
    expect(can(dasen, "users.manage", grant("department", "33"))).toBe(true);
    expect(can(dasen, "users.manage", grant("academy-steering", "04"))).toBe(false);
    expect(can(dasen, "users.manage", grant("reader", "department:24"))).toBe(false);
    expect(can(principal(["national-admin", "FR"]), "users.manage", grant("national-admin", "FR"))).toBe(
      true,
    );
    // Two roles: the rank and the scope must come from the same one.
    const mixed = principal(["academy-steering", "13"], ["department", "33"]);
    expect(can(mixed, "users.manage", grant("academy-steering", "04"))).toBe(false);
    expect(can(mixed, "users.manage", grant("department", "33"))).toBe(true);
  });
});
