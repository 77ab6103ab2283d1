import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/server/platform/db.ts";
import { MIGRATIONS } from "../../src/server/schema.ts";
import { type CliWorkspace, openCliWorkspace } from "../helpers/cli.ts";
import { testEngine } from "../helpers/db.ts";
import { startSmtpServer, type TestSmtpServer } from "../helpers/smtp.ts";

/** `vigie campaign remind <id>` in a child process, through a real local SMTP server. */
describe(`vigie campaign remind on ${testEngine}`, { timeout: 180_000 }, () => {
  let cli: CliWorkspace;
  let smtp: TestSmtpServer;
  let campaignId: string;
  const vigie = (...args: string[]) => cli.vigie(...args);

  beforeAll(async () => {
    smtp = await startSmtpServer();
    cli = await openCliWorkspace("vigie-remind-cli-", {
      SMTP_HOST: smtp.host,
      SMTP_PORT: String(smtp.port),
      VIGIE_PUBLIC_URL: "http://vigie.test",
    });
    const demo = await vigie("demo", "--scale", "tiny", "--no-values", "--json");
    expect(demo.code, demo.stderr).toBe(0);
    const created = await vigie(
      "campaign",
      "create",
      "--template",
      "digital-actions",
      "--territory",
      "department:33",
      "--period",
      "2025-2026",
      "--json",
    );
    expect(created.code, created.stderr).toBe(0);
    campaignId = (JSON.parse(created.stdout) as { id: string }).id;
    // A school of the campaign, read straight from the base (no Vigie process holds it now).
    const handle = await openDatabase(
      { dataDir: cli.dataDir, databaseUrl: cli.databaseUrl || undefined },
      { migrations: MIGRATIONS },
    );
    const { uai } = await handle.db
      .selectFrom("collection_response")
      .select("uai")
      .where("campaign_id", "=", campaignId)
      .orderBy("uai")
      .executeTakeFirstOrThrow();
    await handle.close();
    const user = await vigie(
      "user",
      "create",
      "--email",
      "principal@college.fr",
      "--role",
      "school-head",
      "--territory",
      uai,
      "--password",
      "Cormorans-estuaire-2026",
    );
    expect(user.code, user.stderr).toBe(0);
  });
  afterAll(async () => {
    await cli?.close();
    await smtp?.close();
  });

  it("mails the school head, then holds the school within the minimum interval", async () => {
    const first = await vigie("campaign", "remind", campaignId, "--json");
    expect(first.code, first.stderr).toBe(0);
    const report = JSON.parse(first.stdout);
    expect(report).toMatchObject({ campaigns: 1, schools: 1, mails: 1, held: 0, failed: 0 });
    expect(report.withoutRecipient).toBeGreaterThan(0);
    const mail = await smtp.waitForMail("principal@college.fr");
    expect(mail.text).toContain(`http://vigie.test/collecte/${campaignId}/`);

    const second = await vigie("campaign", "remind", campaignId);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Relances : 0 établissement, 0 courriel\./);
    expect(second.stdout).toMatch(/écartés \(intervalle minimal ou nombre maximal atteint\) : 1/);
    expect(smtp.messages).toHaveLength(1);
  });
});
