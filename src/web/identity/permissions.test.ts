import { describe, expect, it } from "vitest";
import { ROLES } from "../../contracts/identity.ts";
import { PERMISSION_ROLES, PERMISSIONS, ROLE_RANK as TABLE_RANK } from "../../contracts/permissions.ts";
import {
  holds,
  invitableRoles,
  ROLE_IDS,
  ROLE_LABELS,
  ROLE_RANK,
  WEB_PERMISSION_ROLES,
} from "./permissions.ts";

describe("web permission table", () => {
  it("is the contracts' table, the one the server decides with", () => {
    expect(Object.keys(WEB_PERMISSION_ROLES).sort()).toEqual([...PERMISSIONS].sort());
    for (const permission of PERMISSIONS) {
      expect([...WEB_PERMISSION_ROLES[permission]].sort(), permission).toEqual(
        [...PERMISSION_ROLES[permission]].sort(),
      );
    }
    expect(ROLE_IDS).toEqual([...ROLES]);
    expect(ROLE_RANK).toEqual(TABLE_RANK);
    expect(ROLE_LABELS["national-admin"]).toBe("Administrateur national");
    expect(ROLE_LABELS["academy-steering"]).toBe("Pilotage d'académie (DANE)");
  });

  it("tells what a user may see and whom they may invite", () => {
    const dane = {
      id: "1",
      email: "dane@ac-bordeaux.fr",
      givenName: null,
      familyName: null,
      roles: [
        {
          role: "academy-steering" as const,
          territory: "academy:04",
          territoryLabel: "académie Bordeaux (04)",
        },
      ],
    };
    expect(holds(dane, "audit.read")).toBe(true);
    expect(holds(dane, "settings.manage")).toBe(false);
    expect(holds(null, "audit.read")).toBe(false);
    expect(invitableRoles(dane)).not.toContain("region-steering");
    expect(invitableRoles(dane)).toContain("academy-steering");
    expect(invitableRoles(dane)).toContain("reader");
    expect(invitableRoles({ ...dane, roles: [] })).toEqual([]);
  });
});
