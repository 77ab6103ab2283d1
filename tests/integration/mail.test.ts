import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/server/platform/config.ts";
import { composeMail, createMailer, type MailLogger } from "../../src/server/platform/mail.ts";
import { extractLink, startSmtpServer, type TestSmtpServer } from "../helpers/smtp.ts";

function recordingLogger() {
  const lines: Array<{ level: "info" | "error"; obj: object; msg: string }> = [];
  const log: MailLogger = {
    info: (obj, msg) => lines.push({ level: "info", obj, msg }),
    error: (obj, msg) => lines.push({ level: "error", obj, msg }),
  };
  return { log, lines };
}

const message = composeMail({
  to: "elodie.martin@ac-bordeaux.fr",
  subject: "Invitation à rejoindre Vigie — académie de Bordeaux",
  greeting: "Bonjour,",
  paragraphs: ["Vous êtes invitée à rejoindre Vigie. Ce lien est valable 7 jours & ne sert qu'une fois."],
  action: { label: "Activer mon compte", url: "http://localhost:3000/activation?jeton=abc_DEF-123" },
  closing: ["L'équipe Vigie"],
});

describe("mailer", () => {
  let smtp: TestSmtpServer;
  beforeAll(async () => {
    smtp = await startSmtpServer({ auth: { user: "vigie", password: "s3cret" } });
  });
  afterAll(async () => {
    await smtp?.close();
  });

  it("sends through a real SMTP server, logging in, with French text and HTML", async () => {
    const config = loadConfig({
      SMTP_HOST: smtp.host,
      SMTP_PORT: String(smtp.port),
      SMTP_USER: "vigie",
      SMTP_PASSWORD: "s3cret",
      MAIL_FROM: "Vigie <vigie@example.fr>",
    });
    const mailer = createMailer(config);
    const { log, lines } = recordingLogger();
    expect(await mailer.send(message, log)).toBe("sent");
    mailer.close();
    const mail = await smtp.waitForMail("elodie.martin@ac-bordeaux.fr");
    expect(mail.from).toBe("vigie@example.fr");
    expect(mail.subject).toBe("Invitation à rejoindre Vigie — académie de Bordeaux");
    expect(mail.text).toContain("Vous êtes invitée à rejoindre Vigie.");
    expect(extractLink(mail, "http://localhost:3000/activation")).toBe(
      "http://localhost:3000/activation?jeton=abc_DEF-123",
    );
    expect(mail.html).toContain('<html lang="fr">');
    expect(mail.html).toContain(
      '<a href="http://localhost:3000/activation?jeton=abc_DEF-123">Activer mon compte</a>',
    );
    expect(mail.html).toContain("7 jours &amp; ne sert");
    expect(smtp.logins).toEqual(["vigie"]);
    // The log says a mail went out, never its body (which carries the token).
    expect(JSON.stringify(lines)).not.toContain("jeton");
  });

  it("without SMTP_HOST, writes the message to the log and says it was not sent", async () => {
    const mailer = createMailer(loadConfig({}));
    const { log, lines } = recordingLogger();
    expect(await mailer.send(message, log)).toBe("logged");
    expect(lines).toHaveLength(1);
    expect(lines[0]?.level).toBe("info");
    expect(lines[0]?.msg).toContain("n'a PAS été envoyé");
    expect(JSON.stringify(lines[0]?.obj)).toContain("http://localhost:3000/activation?jeton=abc_DEF-123");
  });

  it("reports a failure when the SMTP server cannot be reached", async () => {
    // A port that was free a moment ago: nothing listens there.
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address() as net.AddressInfo;
        probe.close(() => resolve(address.port));
      });
    });
    const mailer = createMailer(loadConfig({ SMTP_HOST: "127.0.0.1", SMTP_PORT: String(port) }));
    const { log, lines } = recordingLogger();
    expect(await mailer.send(message, log)).toBe("failed");
    expect(lines.map((line) => line.level)).toEqual(["error"]);
    expect(JSON.stringify(lines)).not.toContain("jeton");
  });
});
