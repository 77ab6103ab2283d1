import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp } from "../../src/server/app.ts";
import { loadConfig } from "../../src/server/platform/config.ts";
import { openDatabase } from "../../src/server/platform/db.ts";
import { MIGRATIONS } from "../../src/server/schema.ts";
import { type CliWorkspace, openCliWorkspace } from "../helpers/cli.ts";
import { testEngine } from "../helpers/db.ts";
import { postLogin } from "../helpers/identity.ts";

/**
 * `vigie user …` as people run it: `node bin/vigie.mjs` in a child process, on a PGlite folder
 * (VIGIE_DATA_DIR) or, when TEST_DATABASE_URL is set, on a fresh PostgreSQL database.
 */
// Each command starts Node, tsx and the database (a few seconds on a loaded machine): few calls, long timeouts.
describe(`vigie user (command line) on ${testEngine}`, { timeout: 180_000 }, () => {
  let cli: CliWorkspace;
  const vigie = (...args: string[]) => cli.vigie(...args);

  beforeAll(async () => {
    cli = await openCliWorkspace("vigie-cli-", { VIGIE_PUBLIC_URL: "https://vigie.example.fr" });
  });
  afterAll(async () => cli?.close());

  /** Opens the same database as the CLI (after it has exited: PGlite allows one process at a time). */
  const withApp = async <T>(fn: (app: Awaited<ReturnType<typeof buildApp>>) => Promise<T>): Promise<T> => {
    const config = loadConfig({
      VIGIE_DATA_DIR: cli.dataDir,
      DATABASE_URL: cli.databaseUrl,
      LOG_LEVEL: "warn",
    });
    const handle = await openDatabase(config, { migrations: MIGRATIONS });
    const app = await buildApp(handle, config);
    try {
      return await fn(app);
    } finally {
      await app.close();
      await handle.close();
    }
  };

  it("creates an account without a password and prints a one-time activation link valid 7 days", async () => {
    const res = await vigie(
      "user",
      "create",
      "--email",
      "Marie.Curie@ac-bordeaux.fr",
      "--role",
      "academy-steering",
      "--territory",
      "04",
      "--json",
    );
    expect(res.code, res.stderr).toBe(0);
    const created = JSON.parse(res.stdout);
    expect(created).toMatchObject({
      email: "marie.curie@ac-bordeaux.fr",
      status: "invited",
      role: "academy-steering",
      territory: "academy:04",
    });
    expect(created.activationLink).toMatch(
      /^https:\/\/vigie\.example\.fr\/activation\?jeton=[A-Za-z0-9_-]{43}$/,
    );
    expect((Date.parse(created.activationExpiresAt) - Date.now()) / 86_400_000).toBeCloseTo(7, 1);

    const token = new URL(created.activationLink).searchParams.get("jeton");
    await withApp(async (app) => {
      const activated = await app.inject({
        method: "POST",
        url: "/api/v1/auth/password",
        payload: { token, password: "Dune-du-Pilat-110m" },
      });
      expect(activated.statusCode).toBe(200);
      expect(activated.json().user.roles).toEqual([
        { role: "academy-steering", territory: "academy:04", territoryLabel: "académie Bordeaux (04)" },
      ]);
      const audit = await app.inject({ method: "GET", url: "/api/health" });
      expect(audit.statusCode).toBe(200);
    });
  });

  it("creates an active account with a password that follows the policy, in French text", async () => {
    const weak = await vigie(
      "user",
      "create",
      "--email",
      "lecteur@ac-bordeaux.fr",
      "--role",
      "reader",
      "--territory",
      "FR",
      "--password",
      "azerty",
    );
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain(
      "Erreur : Ce mot de passe ne convient pas. Il doit : comporter au moins 12 caractères",
    );
    const ok = await vigie(
      "user",
      "create",
      "--email",
      "lecteur@ac-bordeaux.fr",
      "--role",
      "reader",
      "--territory",
      "academy:04",
      "--password",
      "Estuaire-Gironde-2026",
    );
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout.trim()).toBe(
      "Compte créé et actif : lecteur@ac-bordeaux.fr, lecteur (reader) sur academy:04.",
    );
    await withApp(async (app) => {
      expect((await postLogin(app, "lecteur@ac-bordeaux.fr", "Estuaire-Gironde-2026")).statusCode).toBe(200);
    });
  });

  it("explains wrong input in French and exits with a non-zero code", async () => {
    const unknownAcademy = await vigie(
      "user",
      "create",
      "--email",
      "x@ac.fr",
      "--role",
      "academy-steering",
      "--territory",
      "99",
    );
    expect(unknownAcademy.code).toBe(2);
    expect(unknownAcademy.stderr.trim()).toBe("Erreur : Académie « 99 » inconnue (ex. 04 Bordeaux)");
    const duplicate = await vigie(
      "user",
      "create",
      "--email",
      "marie.curie@ac-bordeaux.fr",
      "--role",
      "reader",
      "--territory",
      "FR",
    );
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toContain("Un compte existe déjà pour marie.curie@ac-bordeaux.fr");
    const missing = await vigie("user", "create", "--role", "reader", "--territory", "FR");
    expect(missing.stderr).toContain("erreur : option obligatoire '--email <adresse>' manquante");
  });

  it("grants, revokes and lists roles; every change is in the audit log with the CLI as source", async () => {
    const grant = await vigie(
      "user",
      "grant",
      "--email",
      "lecteur@ac-bordeaux.fr",
      "--role",
      "department",
      "--territory",
      "33",
    );
    expect(grant.stdout.trim()).toBe(
      "Rôle attribué : department sur department:33 pour lecteur@ac-bordeaux.fr.",
    );
    const list = await vigie("user", "list", "--json");
    const users = JSON.parse(list.stdout) as {
      email: string;
      status: string;
      roles: { role: string; territory: string }[];
    }[];
    expect(users.find((u) => u.email === "lecteur@ac-bordeaux.fr")).toMatchObject({
      status: "active",
      roles: [
        { role: "reader", territory: "academy:04" },
        { role: "department", territory: "department:33" },
      ],
    });
    const revoke = await vigie(
      "user",
      "revoke",
      "--email",
      "lecteur@ac-bordeaux.fr",
      "--role",
      "department",
      "--territory",
      "33",
    );
    expect(revoke.stdout.trim()).toBe(
      "Rôle retiré : department sur department:33 pour lecteur@ac-bordeaux.fr.",
    );
    const disable = await vigie("user", "disable", "--email", "lecteur@ac-bordeaux.fr");
    expect(disable.stdout.trim()).toBe("Compte désactivé : lecteur@ac-bordeaux.fr.");

    const config = loadConfig({ VIGIE_DATA_DIR: cli.dataDir, DATABASE_URL: cli.databaseUrl });
    const handle = await openDatabase(config, { migrations: MIGRATIONS });
    try {
      const audit = await handle.db
        .selectFrom("audit_event")
        .select(["action", "source", "actor_label"])
        .where("source", "=", "cli")
        .orderBy("id")
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        "user.create",
        "role.grant",
        "user.create",
        "role.grant",
        "role.grant",
        "role.revoke",
        "user.disable",
      ]);
      expect(new Set(audit.map((a) => a.actor_label))).toEqual(new Set(["ligne de commande"]));
      const roles = await handle.db.selectFrom("role_assignment").select("role").execute();
      expect(roles.map((r) => r.role).sort()).toEqual(["academy-steering", "reader"]);
    } finally {
      await handle.close();
    }
  });
});
