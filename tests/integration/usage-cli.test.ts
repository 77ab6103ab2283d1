import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliWorkspace, openCliWorkspace } from "../helpers/cli.ts";
import { testEngine } from "../helpers/db.ts";

/**
 * `vigie usage token create|list|revoke` as people run it (a child process per command), on
 * both engines: the token is printed once, the list never shows it, a revoked token says so, and
 * an ambiguous territory is refused in French with its candidates.
 */

// Each command starts Node, tsx and the database (a few seconds on a loaded machine): few calls, long timeouts.
describe(`vigie usage token (command line) on ${testEngine}`, { timeout: 180_000 }, () => {
  let cli: CliWorkspace;
  const vigie = (...args: string[]) => cli.vigie(...args);

  beforeAll(async () => {
    cli = await openCliWorkspace("vigie-usage-cli-");
  });
  afterAll(async () => cli?.close());

  it("creates a token shown once, lists it without the secret, revokes it", async () => {
    const created = await vigie(
      "usage",
      "token",
      "create",
      "--provider",
      "ENT Néo",
      "--territory",
      "academy:04",
      "department:24",
      "--json",
    );
    expect(created.code, created.stderr).toBe(0);
    const token = JSON.parse(created.stdout) as {
      id: string;
      token: string;
      territories: string[];
      revokedAt: string | null;
    };
    expect(token.token).toMatch(/^vigie_usage_[A-Za-z0-9_-]{43}$/);
    expect(token.territories).toEqual(["academy:04", "department:24"]);
    expect(token.revokedAt).toBeNull();

    const listed = await vigie("usage", "token", "list");
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toContain("ENT Néo");
    expect(listed.stdout).toContain("actif");
    expect(listed.stdout).not.toContain(token.token);

    const revoked = await vigie("usage", "token", "revoke", token.id);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toContain(`Jeton ${token.id} (ENT Néo) révoqué.`);
    const after = JSON.parse((await vigie("usage", "token", "list", "--json")).stdout) as {
      revokedAt: string | null;
    }[];
    expect(after[0]?.revokedAt).not.toBeNull();
  });

  it("refuses an ambiguous territory, naming the candidates, and an unknown token id", async () => {
    const ambiguous = await vigie("usage", "token", "create", "--provider", "GAR", "--territory", "33");
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain(
      "Territoire « 33 » ambigu : academy:33 (académie Guyane), department:33",
    );
    const unknown = await vigie("usage", "token", "revoke", "999999");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("Jeton 999999 introuvable.");
  });
});
