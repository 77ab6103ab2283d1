import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliWorkspace, openCliWorkspace } from "../helpers/cli.ts";
import { testEngine } from "../helpers/db.ts";

/** `vigie campaign …` in a child process (issue 11, item 1), on a PGlite folder or a fresh PostgreSQL database. */
describe(`vigie campaign (command line) on ${testEngine}`, { timeout: 180_000 }, () => {
  let cli: CliWorkspace;
  const vigie = (...args: string[]) => cli.vigie(...args);

  beforeAll(async () => {
    cli = await openCliWorkspace("vigie-campaign-cli-");
    const demo = await vigie("demo", "--scale", "tiny", "--no-values", "--json");
    expect(demo.code, demo.stderr).toBe(0);
  });
  afterAll(async () => cli?.close());

  it("lists the shipped templates", async () => {
    const res = await vigie("campaign", "templates", "--json");
    expect(res.code, res.stderr).toBe(0);
    const items = JSON.parse(res.stdout) as { code: string; fields: number; rules: number }[];
    expect(items.map((t) => t.code)).toEqual(["digital-actions", "ent-activation", "equipment"]);
    expect(items.every((t) => t.fields > 0 && t.rules > 0)).toBe(true);
  });

  it("creates a campaign for écoles of a département, lists it and gives its completeness per district", async () => {
    const res = await vigie(
      "campaign",
      "create",
      "--template",
      "ent-activation",
      "--territory",
      "department:33",
      "--period",
      "2025-2026",
      "--json",
    );
    expect(res.code, res.stderr).toBe(0);
    const created = JSON.parse(res.stdout) as { id: string; expected: number; territory: string };
    expect(created.territory).toBe("department:33");
    expect(created.expected).toBeGreaterThan(0);

    const list = await vigie("campaign", "list", "--json");
    expect((JSON.parse(list.stdout) as { id: string }[]).map((c) => c.id)).toContain(created.id);

    const status = await vigie("campaign", "status", created.id, "--json");
    expect(status.code, status.stderr).toBe(0);
    const s = JSON.parse(status.stdout) as {
      total: { expected: number; submitted: number };
      rows: { expected: number }[];
    };
    expect(s.total).toMatchObject({ expected: created.expected, submitted: 0 });
    expect(s.rows.reduce((n, r) => n + r.expected, 0)).toBe(created.expected);
    const text = await vigie("campaign", "status", created.id);
    expect(text.stdout).toMatch(/Total : .*0\/\d+ transmis/);
  });

  it("refuses an unknown template, a period of the wrong kind and an unknown campaign, in French, exit code 2", async () => {
    const unknown = await vigie(
      "campaign",
      "create",
      "--template",
      "x",
      "--territory",
      "FR",
      "--period",
      "2025-2026",
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Modèle de campagne « x » inconnu/);
    const period = await vigie(
      "campaign",
      "create",
      "--template",
      "equipment",
      "--territory",
      "academy:04",
      "--period",
      "2025",
    );
    expect(period.code).toBe(2);
    expect(period.stderr).toMatch(/demande une année scolaire/);
    const missing = await vigie("campaign", "status", "424242");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/Campagne « 424242 » introuvable/);
  });
});
