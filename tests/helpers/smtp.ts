import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** A message as received by the test SMTP server, decoded enough to read what a person reads. */
export interface ReceivedMail {
  /** Envelope recipients (RCPT TO). */
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  raw: string;
}

export interface TestSmtpServer {
  host: string;
  port: number;
  messages: ReceivedMail[];
  /** Credentials the server accepted, to check that the mailer logs in when told to. */
  logins: string[];
  /** Resolves with the first message (received or to come) for this address. */
  waitForMail(to: string, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

/**
 * A real SMTP server (`smtp-server`) on a free localhost port, keeping every message in memory.
 * STARTTLS is off (the mailer would refuse the self-signed certificate); AUTH is accepted over the
 * plain connection when `auth` is given, so the mailer's login is exercised too.
 */
export async function startSmtpServer(
  /** `port`: a given port (a test that starts the server only after a first refused send). */
  options: { auth?: { user: string; password: string }; port?: number } = {},
): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const logins: string[] = [];
  const waiters: Array<{ to: string; resolve: (mail: ReceivedMail) => void }> = [];
  const server = new SMTPServer({
    disabledCommands: ["STARTTLS"],
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.password) {
        logins.push(auth.username ?? "");
        return callback(null, { user: auth.username });
      }
      return callback(new Error("Identifiants refusés"));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const mail = parseMail(raw, {
          to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
        });
        messages.push(mail);
        for (const waiter of [...waiters]) {
          if (mail.to.includes(waiter.to.toLowerCase())) {
            waiters.splice(waiters.indexOf(waiter), 1);
            waiter.resolve(mail);
          }
        }
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    host: "127.0.0.1",
    port,
    messages,
    logins,
    waitForMail(to, timeoutMs = 10_000) {
      const found = messages.find((mail) => mail.to.includes(to.toLowerCase()));
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`Aucun courriel reçu pour ${to} en ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          to,
          resolve: (mail) => {
            clearTimeout(timer);
            resolve(mail);
          },
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The first link in a message's text that starts with the given address. */
export function extractLink(mail: ReceivedMail, prefix: string): string {
  const match = mail.text.match(new RegExp(`${prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\S*`));
  if (!match) throw new Error(`Pas de lien ${prefix}… dans le courriel « ${mail.subject} » :\n${mail.text}`);
  return match[0];
}

// --- A small MIME reader: enough for what nodemailer writes (multipart/alternative, text/plain and
// text/html parts in quoted-printable or base64, RFC 2047 encoded subjects). Not a general parser.

interface Part {
  headers: Map<string, string>;
  body: string;
}

function parseMail(raw: string, envelope: { to: string[]; from: string }): ReceivedMail {
  const root = splitPart(raw);
  const leaves = collectLeaves(root);
  const find = (type: string) => {
    const part = leaves.find((leaf) => (leaf.headers.get("content-type") ?? "text/plain").startsWith(type));
    return part ? decodeBody(part) : "";
  };
  return {
    to: envelope.to,
    from: envelope.from,
    subject: decodeEncodedWords(root.headers.get("subject") ?? ""),
    text: find("text/plain"),
    html: find("text/html"),
    raw,
  };
}

function splitPart(raw: string): Part {
  const normalized = raw.replace(/\r\n/g, "\n");
  const end = normalized.indexOf("\n\n");
  const head = end === -1 ? normalized : normalized.slice(0, end);
  const body = end === -1 ? "" : normalized.slice(end + 2);
  const headers = new Map<string, string>();
  // Unfold continuation lines, then read "Name: value".
  for (const line of head.replace(/\n[ \t]+/g, " ").split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body };
}

function collectLeaves(part: Part): Part[] {
  const type = part.headers.get("content-type") ?? "text/plain";
  if (!type.startsWith("multipart/")) return [part];
  const boundary = type.match(/boundary="?([^";]+)"?/i)?.[1];
  if (!boundary) return [];
  const sections = part.body.split(`--${boundary}`).slice(1);
  return sections
    .filter((section) => !section.startsWith("--"))
    .flatMap((section) => collectLeaves(splitPart(section.replace(/^\n/, ""))));
}

function decodeBody(part: Part): string {
  const encoding = (part.headers.get("content-transfer-encoding") ?? "7bit").toLowerCase();
  const body = part.body.replace(/\n$/, "");
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") return decodeQuotedPrintable(body);
  return body;
}

function decodeQuotedPrintable(input: string): string {
  const softBreaksRemoved = input.replace(/=\n/g, "");
  const bytes: number[] = [];
  for (let i = 0; i < softBreaksRemoved.length; i++) {
    const char = softBreaksRemoved[i] as string;
    const hex = softBreaksRemoved.slice(i + 1, i + 3);
    if (char === "=" && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(char, "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

function decodeEncodedWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?([^?]+)\?([BQ])\?([^?]*)\?=/gi, (_all, _charset: string, kind: string, text: string) =>
      kind.toUpperCase() === "B"
        ? Buffer.from(text, "base64").toString("utf8")
        : decodeQuotedPrintable(text.replace(/_/g, " ")),
    );
}
