import type { Kysely } from "kysely";
import type { ReminderKind, ReminderReport } from "../../contracts/collection-reminders.ts";
import { respondentEmails, type SchoolContact } from "../identity/index.ts";
import {
  composeMail,
  type Database,
  type Mailer,
  type MailLogger,
  type MailMessage,
} from "../platform/index.ts";
import { addDays, phaseOf, todayInFrance } from "./calendar.ts";

/**
 * Reminders by e-mail to the respondents of the schools that have not submitted (issue 11, item 6;
 * docs/collection.md, « Relances »): on the days the campaign names before its closing date, or
 * at once when a DANE asks; never twice within the campaign's minimum interval, never more than
 * its maximum count. Run by the `collection.reminders` job (reminder-job.ts).
 */

type Db = Kysely<Database>;

export interface ReminderRules {
  /** Days before the closing date (negative: after it). */
  days: readonly number[];
  minIntervalDays: number;
  maxCount: number;
}

/** What a school already got in the campaign. */
export interface ReminderHistoryOf {
  count: number;
  /** The day (in France) of the last reminder, or null. */
  lastDay: string | null;
}

export type ReminderDecision = "due" | "held" | "not_due";

/** Whole days from `from` to `to` (ISO dates). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The last scheduled reminder day on or before `today` and not before the opening (a point before
 * the campaign opened reminds of nothing), or null. The latest point only: a server stopped on a
 * reminder day sends it when it comes back, once, instead of every missed one.
 */
export function lastReminderPoint(
  campaign: { opensOn: string; closesOn: string },
  days: readonly number[],
  today: string,
): string | null {
  const points = days
    .map((d) => addDays(campaign.closesOn, -d))
    .filter((p) => p <= today && p >= campaign.opensOn)
    .sort();
  return points.at(-1) ?? null;
}

/**
 * Whether a late school is written to now: `held` when its maximum count is reached or its last
 * reminder is younger than the minimum interval (a DANE's « send now » too: two clicks do not
 * mail a school twice); a scheduled run sends only when nothing was sent since the last point.
 */
export function reminderDecision(
  kind: ReminderKind,
  rules: ReminderRules,
  history: ReminderHistoryOf,
  point: string | null,
  today: string,
): ReminderDecision {
  if (kind === "scheduled" && (point === null || (history.lastDay !== null && history.lastDay >= point)))
    return "not_due";
  if (history.count >= rules.maxCount) return "held";
  if (history.lastDay !== null && daysBetween(history.lastDay, today) < rules.minIntervalDays) return "held";
  return "due";
}

export interface ReminderContext {
  mailer: Mailer;
  publicUrl: string;
  log: MailLogger;
}

export interface ReminderRequest {
  /** One campaign (a DANE's request), or every open or closed campaign (the daily run). */
  campaignId?: string;
  kind: ReminderKind;
  /** The job sending: a retry skips the schools this job already wrote to. */
  jobId?: string;
  /** The moment of the run (tests move it); its day in France decides what is due. */
  now?: Date;
  onProgress?: (done: number, total: number) => void;
}

const LATE_STATES = ["not_started", "draft", "returned"] as const;
const CONTACT_SLICE = 1000;

type CampaignRow = Awaited<ReturnType<typeof remindable>>[number];

/** Campaigns that take answers today (open, or closed within their expiry days), or the one asked. */
async function remindable(db: Db, today: string, campaignId?: string) {
  let q = db
    .selectFrom("collection_campaign")
    .select([
      "id",
      "title",
      "respondents",
      "opens_on",
      "closes_on",
      "expiry_days",
      "reminder_days",
      "reminder_min_interval_days",
      "reminder_max_count",
    ])
    .orderBy("id");
  if (campaignId !== undefined) q = q.where("id", "=", campaignId);
  const rows = await q.execute();
  return rows.filter((c) => {
    const phase = phaseOf({ opensOn: c.opens_on, closesOn: c.closes_on, expiryDays: c.expiry_days }, today);
    return phase === "open" || phase === "closed";
  });
}

interface LateSchool {
  school_id: string;
  uai: string;
  school_name: string;
}

async function historyOf(db: Db, campaignId: string): Promise<Map<string, ReminderHistoryOf>> {
  const rows = await db
    .selectFrom("collection_reminder")
    .select((eb) => ["school_id", eb.fn.countAll<string>().as("count"), eb.fn.max("sent_at").as("last")])
    .where("campaign_id", "=", campaignId)
    .groupBy("school_id")
    .execute();
  return new Map(
    rows.map((r) => [
      String(r.school_id),
      { count: Number(r.count), lastDay: r.last ? todayInFrance(new Date(r.last)) : null },
    ]),
  );
}

async function doneByJob(db: Db, campaignId: string, jobId: string | undefined): Promise<Set<string>> {
  if (!jobId) return new Set();
  const rows = await db
    .selectFrom("collection_reminder")
    .select("school_id")
    .where("campaign_id", "=", campaignId)
    .where("job_id", "=", jobId)
    .execute();
  return new Set(rows.map((r) => String(r.school_id)));
}

function frenchDate(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${d}/${m}/${y}`;
}

/** The reminder, in French: the campaign, the school, the closing date, the link to its form. */
export function reminderMail(
  to: string,
  campaign: { id: string; title: string; closesOn: string; expiryDays: number },
  school: { uai: string; name: string },
  publicUrl: string,
  today: string,
): MailMessage {
  const closed = today > campaign.closesOn;
  const when = closed
    ? `La campagne s'est close le ${frenchDate(campaign.closesOn)} ; vos réponses sont encore acceptées jusqu'au ${frenchDate(addDays(campaign.closesOn, campaign.expiryDays))}, après quoi la saisie sera verrouillée.`
    : `La campagne se clôt le ${frenchDate(campaign.closesOn)}.`;
  return composeMail({
    to,
    subject: `Relance : « ${campaign.title} » attend les réponses de ${school.name}`,
    greeting: "Bonjour,",
    paragraphs: [
      `La campagne de collecte « ${campaign.title} » attend encore les réponses de l'établissement ${school.name} (${school.uai}).`,
      when,
      "Vos saisies sont enregistrées au fur et à mesure : vous pouvez reprendre le formulaire là où vous l'avez laissé.",
    ],
    action: { label: "Répondre au questionnaire", url: `${publicUrl}/collecte/${campaign.id}/${school.uai}` },
    closing: [
      "Vous recevez ce message comme répondant de l'établissement dans Vigie ; il cesse dès que les réponses sont transmises.",
    ],
  });
}

function emptyReport(): ReminderReport {
  return { campaigns: 0, schools: 0, mails: 0, held: 0, withoutRecipient: 0, failed: 0 };
}

/** Sends the reminders due; one `collection_reminder` row per school written to. */
export async function sendReminders(
  db: Db,
  context: ReminderContext,
  request: ReminderRequest,
): Promise<ReminderReport> {
  const today = todayInFrance(request.now);
  const report = emptyReport();
  for (const campaign of await remindable(db, today, request.campaignId)) {
    report.campaigns++;
    await remindCampaign(db, context, request, campaign, today, report);
  }
  return report;
}

async function dueSchools(
  db: Db,
  request: ReminderRequest,
  campaign: CampaignRow,
  today: string,
  report: ReminderReport,
): Promise<LateSchool[]> {
  const late = await db
    .selectFrom("collection_response")
    .select(["school_id", "uai", "school_name"])
    .where("campaign_id", "=", campaign.id)
    .where("state", "in", [...LATE_STATES])
    .orderBy("uai")
    .execute();
  const history = await historyOf(db, campaign.id);
  const done = await doneByJob(db, campaign.id, request.jobId);
  const rules = {
    days: campaign.reminder_days,
    minIntervalDays: campaign.reminder_min_interval_days,
    maxCount: campaign.reminder_max_count,
  };
  const point = lastReminderPoint(
    { opensOn: campaign.opens_on, closesOn: campaign.closes_on },
    rules.days,
    today,
  );
  return late.filter((s) => {
    if (done.has(String(s.school_id))) return false;
    const decision = reminderDecision(
      request.kind,
      rules,
      history.get(String(s.school_id)) ?? { count: 0, lastDay: null },
      point,
      today,
    );
    if (decision === "held") report.held++;
    return decision === "due";
  });
}

async function remindCampaign(
  db: Db,
  context: ReminderContext,
  request: ReminderRequest,
  campaign: CampaignRow,
  today: string,
  report: ReminderReport,
): Promise<void> {
  const due = await dueSchools(db, request, campaign, today, report);
  const info = {
    id: String(campaign.id),
    title: campaign.title,
    closesOn: campaign.closes_on,
    expiryDays: campaign.expiry_days,
  };
  for (let i = 0; i < due.length; i += CONTACT_SLICE) {
    const slice = due.slice(i, i + CONTACT_SLICE);
    const contacts = groupByUai(
      await respondentEmails(
        db,
        campaign.respondents,
        slice.map((s) => s.uai),
      ),
    );
    for (const school of slice) {
      await remindSchool(
        db,
        context,
        request,
        { campaign: info, school, contacts: contacts.get(school.uai) ?? [] },
        today,
        report,
      );
    }
    request.onProgress?.(Math.min(i + CONTACT_SLICE, due.length), due.length);
  }
}

function groupByUai(contacts: readonly SchoolContact[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of contacts) {
    const emails = out.get(c.uai);
    if (emails) emails.push(c.email);
    else out.set(c.uai, [c.email]);
  }
  return out;
}

async function remindSchool(
  db: Db,
  context: ReminderContext,
  request: ReminderRequest,
  target: { campaign: Parameters<typeof reminderMail>[1]; school: LateSchool; contacts: readonly string[] },
  today: string,
  report: ReminderReport,
): Promise<void> {
  if (target.contacts.length === 0) {
    report.withoutRecipient++;
    return;
  }
  let delivered = 0;
  for (const to of target.contacts) {
    const mail = reminderMail(
      to,
      target.campaign,
      { uai: target.school.uai, name: target.school.school_name },
      context.publicUrl,
      today,
    );
    // « logged » (no SMTP server configured) counts: the text is in the log, as for every mail.
    if ((await context.mailer.send(mail, context.log)) === "failed") report.failed++;
    else delivered++;
  }
  report.mails += delivered;
  if (delivered === 0) return;
  report.schools++;
  await db
    .insertInto("collection_reminder")
    .values({
      campaign_id: target.campaign.id,
      school_id: target.school.school_id,
      kind: request.kind,
      recipients: delivered,
      job_id: request.jobId ?? null,
      ...(request.now ? { sent_at: request.now } : {}),
    })
    .execute();
}

/** Reminders sent per day and kind, the campaign's settings, how many schools are late and reminded. */
export async function reminderHistory(db: Db, campaign: { id: string }) {
  const row = await db
    .selectFrom("collection_campaign")
    .select(["reminder_days", "reminder_min_interval_days", "reminder_max_count"])
    .where("id", "=", campaign.id)
    .executeTakeFirstOrThrow();
  const sent = await db
    .selectFrom("collection_reminder")
    .select(["school_id", "sent_at", "kind", "recipients"])
    .where("campaign_id", "=", campaign.id)
    .orderBy("sent_at")
    .execute();
  const late = await db
    .selectFrom("collection_response")
    .select((eb) => eb.fn.countAll<string>().as("n"))
    .where("campaign_id", "=", campaign.id)
    .where("state", "in", [...LATE_STATES])
    .executeTakeFirstOrThrow();
  const days = new Map<string, { date: string; kind: ReminderKind; schools: number; recipients: number }>();
  for (const r of sent) {
    const date = todayInFrance(new Date(r.sent_at));
    const key = `${date}|${r.kind}`;
    const day = days.get(key) ?? { date, kind: r.kind, schools: 0, recipients: 0 };
    day.schools++;
    day.recipients += r.recipients;
    days.set(key, day);
  }
  return {
    campaignId: String(campaign.id),
    settings: {
      days: row.reminder_days,
      minIntervalDays: row.reminder_min_interval_days,
      maxCount: row.reminder_max_count,
    },
    days: [...days.values()],
    schoolsReminded: new Set(sent.map((r) => String(r.school_id))).size,
    schoolsLate: Number(late.n),
  };
}
