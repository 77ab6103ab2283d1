import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDemo } from "../../src/server/territories/demo/load.ts";
import { testEngine } from "../helpers/db.ts";
import {
  type IdentityTestApp,
  makeUser,
  openIdentityTestApp,
  type SignedIn,
  signIn,
} from "../helpers/identity.ts";

describe(`users API: roles at or below one's own, inside one's scope, on ${testEngine}`, () => {
  let t: IdentityTestApp;
  let admin: SignedIn;
  let dane: SignedIn;
  let dasen: SignedIn;
  let target: { id: string };
  let adminId: string;

  beforeAll(async () => {
    t = await openIdentityTestApp();
    await loadDemo(t.db, "tiny");
    adminId = (await makeUser(t.db, "admin@education.gouv.fr", [["national-admin", "FR"]])).id;
    await makeUser(t.db, "dane@ac-bordeaux.fr", [["academy-steering", "04"]]);
    await makeUser(t.db, "dasen@ac-bordeaux.fr", [["department", "33"]]);
    await makeUser(t.db, "dane@ac-poitiers.fr", [["academy-steering", "13"]]);
    target = await makeUser(t.db, "agent@ac-bordeaux.fr");
    [admin, dane, dasen] = await Promise.all([
      signIn(t.app, "admin@education.gouv.fr"),
      signIn(t.app, "dane@ac-bordeaux.fr"),
      signIn(t.app, "dasen@ac-bordeaux.fr"),
    ]);
  });
  afterAll(async () => t?.close());

  const grant = (who: SignedIn, role: string, territory: string, userId = target.id) =>
    who.request({ method: "POST", url: `/api/v1/users/${userId}/roles`, payload: { role, territory } });
  const revoke = (who: SignedIn, role: string, territory: string, userId = target.id) =>
    who.request({
      method: "DELETE",
      url: `/api/v1/users/${userId}/roles?role=${encodeURIComponent(role)}&territory=${encodeURIComponent(territory)}`,
    });

  it("grants inside the scope and at or below one's level; refuses the rest with 403 in French", async () => {
    expect((await grant(dane, "department", "33")).json()).toEqual({ changed: true });
    expect((await grant(dane, "department", "33")).json()).toEqual({ changed: false });
    expect((await grant(dane, "academy-steering", "04")).statusCode).toBe(200);
    const above = await grant(dane, "region-steering", "75");
    expect(above.statusCode).toBe(403);
    expect(above.json()).toEqual({
      error: "forbidden",
      message: "Cette ressource est hors de votre périmètre.",
    });
    expect((await grant(dane, "department", "86")).statusCode).toBe(403);
    expect((await grant(dasen, "academy-steering", "04")).statusCode).toBe(403);
    expect((await grant(dasen, "reader", "department:24")).statusCode).toBe(403);
    expect((await grant(dasen, "local-authority", "commune:33063")).statusCode).toBe(200);
    expect((await grant(admin, "region-steering", "75")).statusCode).toBe(200);
  });

  it("explains unknown territories and accounts", async () => {
    const bad = await grant(dane, "academy-steering", "99");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toBe("Académie « 99 » inconnue (ex. 04 Bordeaux)");
    const unknownDistrict = await grant(dane, "district", "C-inconnu");
    expect(unknownDistrict.json().message).toBe("Territoire inconnu : C-inconnu");
    const nobody = await grant(admin, "reader", "FR", "999999");
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json().message).toBe("Compte introuvable.");
  });

  it("lists the accounts with a role in one's scope, and only those roles", async () => {
    const list = (await dane.request({ url: "/api/v1/users" })).json().items as {
      email: string;
      roles: { role: string; territory: string }[];
    }[];
    const agent = list.find((u) => u.email === "agent@ac-bordeaux.fr");
    expect(agent?.roles.map((r) => r.territory).sort()).toEqual([
      "academy:04",
      "commune:33063",
      "department:33",
    ]);
    expect(list.map((u) => u.email)).not.toContain("dane@ac-poitiers.fr");
    expect(list.map((u) => u.email)).not.toContain("admin@education.gouv.fr");
    const all = (await admin.request({ url: "/api/v1/users" })).json().items as { email: string }[];
    expect(all.map((u) => u.email)).toContain("dane@ac-poitiers.fr");
  });

  it("revokes under the same rule, audits every change, keeps the last national administrator", async () => {
    expect((await revoke(dasen, "academy-steering", "04")).statusCode).toBe(403);
    expect((await revoke(dane, "academy-steering", "04")).json()).toEqual({ changed: true });
    expect((await revoke(dane, "academy-steering", "04")).json()).toEqual({ changed: false });
    const last = await revoke(admin, "national-admin", "FR", adminId);
    expect(last.statusCode).toBe(409);
    expect(last.json().error).toBe("last_admin");
    const audit = await t.db
      .selectFrom("audit_event")
      .select(["action", "actor_label", "source", "territory_code", "academy_code"])
      .where("entity_id", "=", target.id)
      .where("actor_label", "=", "dane@ac-bordeaux.fr")
      .orderBy("id")
      .execute();
    expect(audit).toEqual([
      {
        action: "role.grant",
        actor_label: "dane@ac-bordeaux.fr",
        source: "api",
        territory_code: "33",
        academy_code: "04",
      },
      {
        action: "role.grant",
        actor_label: "dane@ac-bordeaux.fr",
        source: "api",
        territory_code: "04",
        academy_code: "04",
      },
      {
        action: "role.revoke",
        actor_label: "dane@ac-bordeaux.fr",
        source: "api",
        territory_code: "04",
        academy_code: "04",
      },
    ]);
  });
});
