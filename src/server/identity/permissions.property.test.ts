import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SCHOOL_SECTORS, SCHOOL_TYPES } from "../../contracts/territories.ts";
import { DEPARTMENTS, makeUai } from "../territories/index.ts";
import {
  can,
  createTerritoryIndex,
  formatScope,
  PERMISSIONS,
  type Principal,
  parseScope,
  ROLE_RANK,
  ROLES,
  type RoleGrant,
  type SchoolPlace,
  type Scope,
  schoolPath,
  scopeContainsPath,
  scopeContainsSchool,
  scopeContainsTerritory,
  scopeFitsRole,
  scopeNode,
} from "./permissions.ts";

/** Schools anywhere in France, with consistent ancestors and a few shared districts. */
const school: fc.Arbitrary<SchoolPlace> = fc
  .record({
    number: fc.integer({ min: 1, max: 9_999_999 }),
    dep: fc.constantFrom(...DEPARTMENTS),
    bassin: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    circo: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    commune: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }),
    type: fc.constantFrom(...SCHOOL_TYPES),
    sector: fc.constantFrom(...SCHOOL_SECTORS),
  })
  .map(({ number, dep, bassin, circo, commune, type, sector }) => ({
    uai: makeUai(number),
    departmentCode: dep.code,
    academyCode: dep.academyCode,
    academicRegionCode: dep.academicRegionCode,
    bassinCode: bassin === null ? null : `B-${dep.code}-${bassin}`,
    circonscriptionCode: circo === null ? null : `C-${dep.code}-${circo}`,
    communeCode: commune === null ? null : `${dep.code}${String(commune).padStart(5 - dep.code.length, "0")}`,
    type,
    sector,
  }));

/** Every scope a school's ancestors give, from the nation down to the school, plus its local authorities. */
function scopesAbove(s: SchoolPlace): Scope[] {
  const scopes: Scope[] = [
    { kind: "territory", level: "nation", code: "FR" },
    { kind: "territory", level: "academicRegion", code: s.academicRegionCode },
    { kind: "territory", level: "academy", code: s.academyCode },
    { kind: "territory", level: "department", code: s.departmentCode },
    { kind: "territory", level: "school", code: s.uai },
    { kind: "localAuthority", level: "region", code: s.academicRegionCode },
    { kind: "localAuthority", level: "department", code: s.departmentCode },
  ];
  if (s.bassinCode) scopes.push({ kind: "territory", level: "district", code: s.bassinCode });
  if (s.circonscriptionCode)
    scopes.push({ kind: "territory", level: "district", code: s.circonscriptionCode });
  if (s.communeCode) scopes.push({ kind: "localAuthority", level: "commune", code: s.communeCode });
  return scopes;
}

const anyScope: fc.Arbitrary<Scope> = fc.tuple(school, fc.nat()).map(([s, i]) => {
  const scopes = scopesAbove(s);
  return scopes[i % scopes.length] as Scope;
});

const grant: fc.Arbitrary<RoleGrant> = fc
  .tuple(fc.constantFrom(...ROLES), anyScope)
  .filter(([role, scope]) => scopeFitsRole(role, scope))
  .map(([role, scope]) => ({ role, scope }));

const principal: fc.Arbitrary<Principal> = fc
  .array(grant, { maxLength: 4 })
  .map((roles) => ({ userId: "1", email: "p@example.fr", roles }));

const districtsOf = (schools: SchoolPlace[]) =>
  schools.flatMap((s) =>
    [s.bassinCode, s.circonscriptionCode]
      .filter((c): c is string => c !== null)
      .map((code) => ({ code, departmentCode: s.departmentCode })),
  );

describe("permissions (properties)", () => {
  it("reads back every scope it formats, for every role the scope fits", () => {
    fc.assert(
      fc.property(grant, ({ role, scope }) => {
        expect(parseScope(role, formatScope(scope))).toEqual({ ok: true, scope });
      }),
    );
  });

  it("every territory scope above a school holds it; local authorities only public schools of their kind", () => {
    fc.assert(
      fc.property(school, (s) => {
        for (const scope of scopesAbove(s)) {
          const held = scopeContainsSchool(scope, s);
          if (scope.kind === "territory") expect(held).toBe(true);
          else if (held) expect(s.sector).toBe("public");
        }
      }),
    );
  });

  it("containment of a school agrees whether asked on the school, its path or the index", () => {
    fc.assert(
      fc.property(anyScope, school, (scope, s) => {
        const index = createTerritoryIndex(districtsOf([s]), [s]);
        const direct = scopeContainsSchool(scope, s);
        expect(scopeContainsPath(scope, schoolPath(s))).toBe(direct);
        expect(scopeContainsTerritory(scope, { level: "school", code: s.uai }, index)).toBe(direct);
      }),
    );
  });

  it("a scope holding a node holds that node's schools (containment is transitive)", () => {
    fc.assert(
      fc.property(anyScope, school, (scope, s) => {
        const index = createTerritoryIndex(districtsOf([s]), [s]);
        for (const above of scopesAbove(s).filter((x) => x.kind === "territory")) {
          if (scopeContainsTerritory(scope, scopeNode(above), index)) {
            expect(scopeContainsSchool(scope, s)).toBe(true);
          }
        }
      }),
    );
  });

  it("adding a role never takes a permission away", () => {
    fc.assert(
      fc.property(principal, grant, fc.constantFrom(...PERMISSIONS), school, (p, extra, permission, s) => {
        const more = { ...p, roles: [...p.roles, extra] };
        const target = { kind: "school", school: s } as const;
        if (can(p, permission, target)) expect(can(more, permission, target)).toBe(true);
        if (can(p, permission)) expect(can(more, permission)).toBe(true);
      }),
    );
  });

  it("nobody grants a role above their own, nor outside their scope", () => {
    fc.assert(
      fc.property(principal, grant, school, (p, target, s) => {
        const index = createTerritoryIndex(districtsOf([s]), [s]);
        const path = index.pathOf(scopeNode(target.scope));
        if (!path) return;
        if (can(p, "users.manage", { kind: "grant", role: target.role, path })) {
          const granters = p.roles.filter(
            (g) =>
              ROLE_RANK[g.role] >= ROLE_RANK[target.role] &&
              scopeContainsTerritory(g.scope, scopeNode(target.scope), index),
          );
          expect(granters.length).toBeGreaterThan(0);
        }
      }),
    );
  });
});
