import path from "node:path";

/** Runtime configuration, read once from the environment (shared by the server and the CLI). */
export interface Config {
  /** Folder holding the embedded PGlite database and other local files. */
  dataDir: string;
  /** When set, Vigie talks to this PostgreSQL server instead of the embedded PGlite. */
  databaseUrl: string | undefined;
  port: number;
  host: string;
  /** Load the demo territory on an empty database at start (`VIGIE_DEMO=0` disables it). */
  demo: boolean;
  logLevel: string;
  /**
   * Address at which people reach Vigie (`VIGIE_PUBLIC_URL`, no trailing slash): links in e-mails,
   * the ProConnect redirect URIs. Defaults to the local address.
   */
  publicUrl: string;
  /** Outgoing mail; without `SMTP_HOST` messages are written to the log instead (laptop default). */
  smtp: SmtpConfig | undefined;
  mailFrom: string;
  /** ProConnect (OpenID Connect); undefined when the three settings are not all given. */
  proconnect: ProConnectConfig | undefined;
  /** Fastify's `trustProxy`: whom to believe for the client address and protocol behind a reverse proxy. */
  trustProxy: boolean | string[];
  /** Sessions end after this much inactivity, and in any case this long after the login. */
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  /** E-mail of the national administrator created at the first start of an empty instance. */
  adminEmail: string;
  /** Login attempts allowed per client address and minute (beyond: 429). */
  loginRateLimit: number;
  /**
   * Shown on the register of processing (« registre des traitements »): the organisation running
   * the instance (`VIGIE_CONTROLLER`) and how to reach its data protection officer (`VIGIE_DPO_CONTACT`).
   */
  privacyContacts: { controller: string | null; dpo: string | null };
  /** Largest file an upload may carry (`VIGIE_UPLOAD_MAX_MB`, default 200 Mo). */
  uploadMaxBytes: number;
  /** Uploads never committed are deleted after this many days (`VIGIE_UPLOAD_RETENTION_DAYS`, default 7). */
  uploadRetentionDays: number;
}

export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string | undefined;
  password: string | undefined;
}

export interface ProConnectConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  // 0 asks the system for a free port (tests).
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT invalide : « ${env.PORT} » (attendu : un entier entre 0 et 65535)`);
  }
  return {
    // ":memory:" keeps the embedded database in memory (tests); anything else is a folder.
    dataDir: env.VIGIE_DATA_DIR === ":memory:" ? ":memory:" : path.resolve(env.VIGIE_DATA_DIR ?? "./data"),
    databaseUrl: env.DATABASE_URL || undefined,
    port,
    host: env.HOST ?? "127.0.0.1",
    demo: env.VIGIE_DEMO !== "0",
    logLevel: env.LOG_LEVEL ?? "info",
    publicUrl: publicUrl(env, port),
    smtp: smtpConfig(env),
    mailFrom: env.MAIL_FROM || "Vigie <ne-pas-repondre@vigie.localhost>",
    proconnect: proconnectConfig(env),
    trustProxy: trustProxy(env.VIGIE_TRUST_PROXY),
    sessionIdleMinutes: positiveNumber(env, "VIGIE_SESSION_IDLE_MINUTES", 60),
    sessionMaxHours: positiveNumber(env, "VIGIE_SESSION_MAX_HOURS", 12),
    adminEmail: (env.VIGIE_ADMIN_EMAIL || "admin@vigie.localhost").trim().toLowerCase(),
    loginRateLimit: positiveNumber(env, "VIGIE_LOGIN_RATE_LIMIT", 10),
    privacyContacts: {
      controller: env.VIGIE_CONTROLLER?.trim() || null,
      dpo: env.VIGIE_DPO_CONTACT?.trim() || null,
    },
    uploadMaxBytes: Math.round(positiveNumber(env, "VIGIE_UPLOAD_MAX_MB", 200) * 1024 * 1024),
    uploadRetentionDays: positiveNumber(env, "VIGIE_UPLOAD_RETENTION_DAYS", 7),
  };
}

function positiveNumber(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new Error(`${name} invalide : « ${raw} » (attendu : un nombre positif)`);
  }
  return value;
}

/**
 * `true` (trust every proxy: only when Vigie cannot be reached but through it), or the proxies'
 * addresses, comma-separated (CIDR and `loopback`, `uniquelocal` accepted); off by default. A
 * number of hops is refused: Fastify cannot check the nearest peer with it.
 */
function trustProxy(raw: string | undefined): boolean | string[] {
  const text = raw?.trim() ?? "";
  if (text === "" || text === "false" || text === "0") return false;
  if (text === "true") return true;
  if (/^\d+$/.test(text)) {
    throw new Error(
      `VIGIE_TRUST_PROXY invalide : « ${text} » (attendu : true, ou les adresses des proxys, ex. 127.0.0.1,10.0.0.0/8)`,
    );
  }
  return text
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
}

function publicUrl(env: NodeJS.ProcessEnv, port: number): string {
  const value = env.VIGIE_PUBLIC_URL || `http://localhost:${port || 3000}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`VIGIE_PUBLIC_URL invalide : « ${value} » (attendu : une adresse http(s)://…)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`VIGIE_PUBLIC_URL invalide : « ${value} » (attendu : une adresse http(s)://…)`);
  }
  return url.href.replace(/\/+$/, "");
}

function smtpConfig(env: NodeJS.ProcessEnv): SmtpConfig | undefined {
  if (!env.SMTP_HOST) return undefined;
  const secure = env.SMTP_SECURE === "1" || env.SMTP_SECURE === "true";
  const port = Number(env.SMTP_PORT || (secure ? 465 : 587));
  if (!Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new Error(`SMTP_PORT invalide : « ${env.SMTP_PORT} » (attendu : un entier entre 1 et 65535)`);
  }
  return {
    host: env.SMTP_HOST,
    port,
    secure,
    user: env.SMTP_USER || undefined,
    password: env.SMTP_PASSWORD || undefined,
  };
}

function proconnectConfig(env: NodeJS.ProcessEnv): ProConnectConfig | undefined {
  const issuer = env.PROCONNECT_ISSUER;
  const clientId = env.PROCONNECT_CLIENT_ID;
  const clientSecret = env.PROCONNECT_CLIENT_SECRET;
  if (!issuer && !clientId && !clientSecret) return undefined;
  if (!issuer || !clientId || !clientSecret) {
    // Half a configuration is a mistake worth stopping for, not a silent "ProConnect disabled".
    throw new Error(
      "ProConnect : PROCONNECT_ISSUER, PROCONNECT_CLIENT_ID et PROCONNECT_CLIENT_SECRET vont ensemble (les trois, ou aucun)",
    );
  }
  try {
    new URL(issuer);
  } catch {
    throw new Error(`PROCONNECT_ISSUER invalide : « ${issuer} » (attendu : une adresse https://…)`);
  }
  return { issuer, clientId, clientSecret };
}
