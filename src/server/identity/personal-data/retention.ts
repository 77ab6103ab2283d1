import type { Kysely, Transaction } from "kysely";
import {
  type Actor,
  type Database,
  getSetting,
  putSetting,
  recordAudit,
  SYSTEM_ACTOR,
} from "../../platform/index.ts";
import { findUserById } from "../users/users.ts";

/**
 * Retention of personal data (docs/identity.md, « Durées de conservation »): how long each kind
 * of record is kept once it is no longer useful, stored in `app_setting` under `retention`, and
 * the purge that deletes what is past it — at server start, every 24 hours, and by `vigie purge`.
 */

type Db = Kysely<Database> | Transaction<Database>;

export interface RetentionSettings {
  /** Audit events, counted from the event. */
  auditEventsDays: number;
  /** Sessions, counted from their expiry (absolute; an idle session is expired sooner on sight). */
  expiredSessionsDays: number;
  /** Invitation and reset links, counted from their use or their expiry. */
  usedTokensDays: number;
  /** Personal-data requests, counted from their closing (done or refused). */
  closedRequestsDays: number;
}

/**
 * Defaults, to be reviewed with the DPO of each instance:
 * - audit events one year: the CNIL recommends keeping traceability logs six months to a year
 *   (recommandation « journalisation », 2021), long enough to investigate an incident or a
 *   disputed change, short enough not to become a record of people's activity;
 * - expired sessions and used or expired links thirty days: they serve nothing once ended, but a
 *   month lets an administrator answer « was I signed in from elsewhere? » (logins themselves are
 *   in the audit log);
 * - closed personal-data requests three years: the proof that a right was honoured, should the
 *   person complain to the CNIL later.
 */
export const DEFAULT_RETENTION: RetentionSettings = {
  auditEventsDays: 365,
  expiredSessionsDays: 30,
  usedTokensDays: 30,
  closedRequestsDays: 3 * 365,
};

/** Bounds of each setting: the audit log cannot be emptied by a typo, nothing is kept over ten years. */
export const RETENTION_BOUNDS: Record<keyof RetentionSettings, { min: number; max: number }> = {
  auditEventsDays: { min: 30, max: 3650 },
  expiredSessionsDays: { min: 1, max: 3650 },
  usedTokensDays: { min: 1, max: 3650 },
  closedRequestsDays: { min: 30, max: 3650 },
};

export const RETENTION_KEYS = Object.keys(DEFAULT_RETENTION) as (keyof RetentionSettings)[];

const SETTING_KEY = "retention";

function clampSetting(key: keyof RetentionSettings, value: unknown): number {
  const { min, max } = RETENTION_BOUNDS[key];
  return typeof value === "number" && Number.isInteger(value) && value >= min && value <= max
    ? value
    : DEFAULT_RETENTION[key];
}

export interface StoredRetention {
  settings: RetentionSettings;
  updatedAt: Date | null;
  updatedBy: string | null;
}

/** The settings in force: the stored ones, each missing or out-of-bounds value replaced by its default. */
export async function getRetention(db: Db): Promise<StoredRetention> {
  const stored = await getSetting(db, SETTING_KEY);
  const raw = (stored?.value ?? {}) as Record<string, unknown>;
  const settings = Object.fromEntries(
    RETENTION_KEYS.map((k) => [k, clampSetting(k, raw[k])]),
  ) as unknown as RetentionSettings;
  const updatedBy = stored?.updatedBy ? ((await findUserById(db, stored.updatedBy))?.email ?? null) : null;
  return { settings, updatedAt: stored?.updatedAt ?? null, updatedBy };
}

/** Stores new settings (already validated against RETENTION_BOUNDS) and records the change. */
export async function setRetention(
  db: Kysely<Database>,
  next: RetentionSettings,
  actor: Actor,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = (await getRetention(trx)).settings;
    await putSetting(trx, SETTING_KEY, next, actor.userId);
    const changes = Object.fromEntries(
      RETENTION_KEYS.filter((k) => before[k] !== next[k]).map((k) => [
        k,
        { avant: before[k], après: next[k] },
      ]),
    );
    await recordAudit(trx, actor, {
      action: "settings.retention",
      entityType: "setting",
      entityId: SETTING_KEY,
      summary: changes,
    });
  });
}

export interface PurgeReport {
  auditEvents: number;
  sessions: number;
  tokens: number;
  personalDataRequests: number;
  loginAttempts: number;
  settings: RetentionSettings;
  /** The instant the retention periods were counted back from. */
  now: string;
}

function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * 86_400_000);
}

/**
 * Deletes what is past its retention period, in one transaction, and records the purge in the
 * audit log when it deleted anything. `now` is a parameter for the tests.
 */
export async function purgeExpiredData(
  db: Kysely<Database>,
  options: { actor?: Actor; now?: Date } = {},
): Promise<PurgeReport> {
  const now = options.now ?? new Date();
  return db.transaction().execute(async (trx) => {
    const { settings } = await getRetention(trx);
    const count = (rows: unknown[]) => rows.length;
    const auditEvents = count(
      await trx
        .deleteFrom("audit_event")
        .where("occurred_at", "<", daysBefore(now, settings.auditEventsDays))
        .returning("id")
        .execute(),
    );
    const sessions = count(
      await trx
        .deleteFrom("user_session")
        .where("expires_at", "<", daysBefore(now, settings.expiredSessionsDays))
        .returning("id_hash")
        .execute(),
    );
    const tokenLimit = daysBefore(now, settings.usedTokensDays);
    const tokens = count(
      await trx
        .deleteFrom("auth_token")
        .where((eb) => eb.or([eb("used_at", "<", tokenLimit), eb("expires_at", "<", tokenLimit)]))
        .returning("token_hash")
        .execute(),
    );
    const personalDataRequests = count(
      await trx
        .deleteFrom("personal_data_request")
        .where("status", "in", ["done", "refused"])
        .where("handled_at", "<", daysBefore(now, settings.closedRequestsDays))
        .returning("id")
        .execute(),
    );
    // ProConnect logins in progress live ten minutes; a day later they are only clutter.
    const loginAttempts = count(
      await trx
        .deleteFrom("oidc_login_attempt")
        .where("expires_at", "<", daysBefore(now, 1))
        .returning("state_hash")
        .execute(),
    );
    const report = {
      auditEvents,
      sessions,
      tokens,
      personalDataRequests,
      loginAttempts,
      settings,
      now: now.toISOString(),
    };
    if (auditEvents + sessions + tokens + personalDataRequests + loginAttempts > 0) {
      await recordAudit(trx, options.actor ?? SYSTEM_ACTOR, {
        action: "retention.purge",
        entityType: "retention",
        // « links », not « tokens »: a key naming a secret would be masked (audit-redact.ts).
        summary: { auditEvents, sessions, links: tokens, personalDataRequests, loginAttempts },
      });
    }
    return report;
  });
}

export const PURGE_INTERVAL_MS = 24 * 60 * 60 * 1000;

/**
 * Purges now and every 24 hours until `stop()`. The timer is unref'd: it never keeps a process
 * alive on its own. A failed purge is logged and tried again at the next tick.
 */
export function schedulePurge(
  db: Kysely<Database>,
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void },
  intervalMs = PURGE_INTERVAL_MS,
): { stop(): void; running: () => Promise<void> } {
  let current: Promise<void> = Promise.resolve();
  let stopped = false;
  const run = () => {
    if (stopped) return;
    current = purgeExpiredData(db)
      .then((report) => {
        const { settings: _settings, now: _now, ...counts } = report;
        log.info({ purge: counts }, "purge des données expirées");
      })
      .catch((err: unknown) => {
        if (!stopped) log.error({ err }, "échec de la purge des données expirées");
      });
  };
  run();
  const timer = setInterval(run, intervalMs);
  timer.unref();
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
    /** The purge in progress (the server waits for it before closing the database). */
    running: () => current,
  };
}

/** The purge report in French, for `vigie purge` on a terminal. */
export function formatPurgeReport(report: PurgeReport): string {
  const s = report.settings;
  return [
    `Purge des données personnelles expirées (${report.now}) :`,
    `  événements du journal d'audit de plus de ${s.auditEventsDays} jours : ${report.auditEvents}`,
    `  sessions expirées depuis plus de ${s.expiredSessionsDays} jours : ${report.sessions}`,
    `  liens utilisés ou expirés depuis plus de ${s.usedTokensDays} jours : ${report.tokens}`,
    `  demandes sur les données closes depuis plus de ${s.closedRequestsDays} jours : ${report.personalDataRequests}`,
    `  connexions ProConnect inachevées : ${report.loginAttempts}`,
  ].join("\n");
}
