import { z } from "zod";

/**
 * Reminders and outliers of a collection campaign (issue 11, items 6 and 7; docs/collection.md,
 * « Relances » and « Valeurs atypiques »): shared by the server (validation, OpenAPI) and the web.
 */

export const REMINDER_KINDS = ["scheduled", "manual"] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/** When a campaign's reminders go, as stored with the campaign. */
export const reminderSettings = z.object({
  /** Days before the closing date (negative: after it, while late answers are taken). */
  days: z.array(z.number().int()),
  minIntervalDays: z.number().int().min(0),
  maxCount: z.number().int().min(0),
});
export type ReminderSettings = z.infer<typeof reminderSettings>;

/** Reminders sent on one day, of one kind. */
export const reminderDay = z.object({
  /** The day in France (AAAA-MM-JJ). */
  date: z.string(),
  kind: z.enum(REMINDER_KINDS),
  schools: z.number().int(),
  recipients: z.number().int(),
});

export const reminderHistory = z.object({
  campaignId: z.string(),
  settings: reminderSettings,
  days: z.array(reminderDay),
  /** Schools that got at least one reminder. */
  schoolsReminded: z.number().int(),
  /** Schools not yet submitted (not started, draft or returned). */
  schoolsLate: z.number().int(),
});
export type ReminderHistory = z.infer<typeof reminderHistory>;

/** What a reminder run did (the job's result). */
export const reminderReport = z.object({
  campaigns: z.number().int(),
  /** Schools written to. */
  schools: z.number().int(),
  mails: z.number().int(),
  /** Late schools left out by the minimum interval or the maximum count. */
  held: z.number().int(),
  /** Late schools with nobody to write to (no active respondent account). */
  withoutRecipient: z.number().int(),
  failed: z.number().int(),
});
export type ReminderReport = z.infer<typeof reminderReport>;

/** A value of a submitted response far from its peers' (GET …/outliers). */
export const outlierRow = z.object({
  uai: z.string(),
  schoolName: z.string(),
  field: z.string(),
  label: z.string(),
  value: z.number(),
  median: z.number(),
  /** Modified z-score (0.6745 × (x − médiane) / MAD). */
  z: z.number(),
});
export type OutlierRow = z.infer<typeof outlierRow>;

export const outlierList = z.object({
  campaignId: z.string(),
  territory: z.object({ key: z.string(), label: z.string() }),
  threshold: z.number(),
  items: z.array(outlierRow),
});
export type OutlierList = z.infer<typeof outlierList>;
