import { z } from "zod";
import { answers, formDefinition } from "./collection-form.ts";
import {
  APPROVAL_LEVELS,
  FEED_MOMENTS,
  PERIOD_KINDS,
  RESPONDENT_ROLES,
  RESPONSE_STATES,
} from "./collection-model.ts";
import { SCHOOL_TYPES } from "./schools.ts";

/**
 * Campaigns and responses of the collection module (issue 11, docs/collection.md): the shipped
 * templates, a campaign (a form's version, a period, target schools, respondents, dates, expiry,
 * approval levels), and one response per target school. Shared by the server (validation,
 * OpenAPI) and the web app (types).
 *
 * The enumerations and labels are in the Zod-free `collection-model.ts` (re-exported here).
 */

export {
  APPROVAL_LEVELS,
  type ApprovalLevel,
  FEED_MOMENTS,
  type FeedMoment,
  PERIOD_KINDS,
  type PeriodKind,
  RESPONDENT_ROLES,
  RESPONSE_STATE_LABELS,
  RESPONSE_STATES,
  type RespondentRole,
  type ResponseState,
} from "./collection-model.ts";

const code = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]*$/, "Code attendu en minuscules, chiffres, « _ » et « - » (ex. equipment).")
  .max(80);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Date attendue au format AAAA-MM-JJ.");

/** The schools a campaign asks: those of a territory, optionally narrowed. */
export const campaignTarget = z.object({
  /** A territory key (`academy:14`, `department:033`, `nation:FR`…). */
  territory: z.string().trim().min(1).max(40),
  /** Only these school types (codes of the territorial referential), all when absent. */
  schoolTypes: z.array(z.enum(SCHOOL_TYPES)).max(20).optional(),
  /** public, or private (under contract or not). */
  sector: z.enum(["public", "private"]).optional(),
  /** Only schools of éducation prioritaire (REP or REP+). */
  priorityEducation: z.boolean().optional(),
  /** An explicit list of UAIs (inside the territory). */
  uais: z.array(z.string().trim().min(1).max(10)).max(100_000).optional(),
});
export type CampaignTarget = z.infer<typeof campaignTarget>;

/** A template shipped by the project (`data/templates/collection/*.yaml`). */
export const campaignTemplate = z.object({
  code,
  title: z.string().trim().min(1).max(300),
  description: z.string().trim().max(4000).optional(),
  periodKind: z.enum(PERIOD_KINDS),
  respondents: z.array(z.enum(RESPONDENT_ROLES)).min(1).default(["school-head", "school-referent"]),
  /** School types the template is written for (all when absent). */
  schoolTypes: z.array(z.enum(SCHOOL_TYPES)).max(20).optional(),
  expiryDays: z.number().int().min(0).max(365).default(30),
  approvalLevels: z.array(z.enum(APPROVAL_LEVELS)).max(2).default([]),
  feed: z.enum(FEED_MOMENTS).default("approved"),
  form: formDefinition,
});
export type CampaignTemplate = z.infer<typeof campaignTemplate>;

export const templateSummary = z.object({
  code: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  periodKind: z.enum(PERIOD_KINDS),
  fields: z.number().int(),
  rules: z.number().int(),
});
export type TemplateSummary = z.infer<typeof templateSummary>;

/** Creating a campaign (API and CLI). */
export const campaignInput = z.object({
  /** A shipped template's code; or `form`, a form a DANE saved (its latest version): one of the two. */
  template: code.optional(),
  form: code.optional(),
  title: z.string().trim().min(1).max(300).optional(),
  period: z.string().trim().min(4).max(20),
  target: campaignTarget,
  respondents: z.array(z.enum(RESPONDENT_ROLES)).min(1).optional(),
  opensOn: isoDate.optional(),
  closesOn: isoDate.optional(),
  expiryDays: z.number().int().min(0).max(365).optional(),
  approvalLevels: z.array(z.enum(APPROVAL_LEVELS)).max(2).optional(),
  feed: z.enum(FEED_MOMENTS).optional(),
  /** Reminders by e-mail to the late schools (docs/collection.md, « Relances »); defaults when absent. */
  reminders: z
    .object({
      /** Days before the closing date (negative: after it) on which reminders go. */
      days: z.array(z.number().int().min(-365).max(365)).max(10),
      minIntervalDays: z.number().int().min(0).max(365),
      maxCount: z.number().int().min(0).max(20),
    })
    .optional(),
  /** Modified z-score above which a value is flagged as far from its peers (docs/collection.md). */
  outlierThreshold: z.number().gt(0).max(100).optional(),
});
export type CampaignInput = z.infer<typeof campaignInput>;

export const campaignSummary = z.object({
  id: z.string(),
  title: z.string(),
  template: z.string(),
  formVersion: z.number().int(),
  period: z.string(),
  territory: z.string(),
  territoryLabel: z.string(),
  opensOn: z.string(),
  closesOn: z.string(),
  expiryDays: z.number().int(),
  approvalLevels: z.array(z.enum(APPROVAL_LEVELS)),
  feed: z.enum(FEED_MOMENTS),
  respondents: z.array(z.enum(RESPONDENT_ROLES)),
  /** open: between its dates; upcoming; closed (after the closing date, entries still accepted until expiry); locked (after expiry). */
  phase: z.enum(["upcoming", "open", "closed", "locked"]),
  expected: z.number().int(),
  submitted: z.number().int(),
  createdAt: z.string(),
});
export type CampaignSummary = z.infer<typeof campaignSummary>;

/**
 * A campaign as the completeness page heads it: its summary without the campaign-wide counts
 * (the page counts the territory asked, in `total`; counting the whole campaign again at each
 * request cost a nation-wide campaign most of its time, docs/benchmarks.md).
 */
export const campaignHeading = campaignSummary.omit({ expected: true, submitted: true });
export type CampaignHeading = z.infer<typeof campaignHeading>;

/** A school's response as its users see it on the filling-in page. */
export const responseView = z.object({
  campaign: campaignSummary,
  form: formDefinition,
  school: z.object({ uai: z.string(), name: z.string() }),
  state: z.enum(RESPONSE_STATES),
  answers,
  /** Last year's answers (previous campaign of the same template, else the observatory's values of the previous period). */
  previous: answers,
  /** Headcounts known by the observatory, by field code (fields with `prefillFrom`). */
  prefill: z.record(z.string(), z.number()),
  /** Revision of the stored answers: a save names the revision it started from (no lost update). */
  revision: z.number().int(),
  updatedAt: z.string().nullable(),
  submittedAt: z.string().nullable(),
  /** Why the response was returned, by whom. */
  returnComment: z.string().nullable(),
  /** The respondent may change the answers now (not submitted, not locked). */
  editable: z.boolean(),
});
export type ResponseView = z.infer<typeof responseView>;

export const saveResponseBody = z.object({
  answers,
  /** The revision the browser started from; a save on an older revision is refused (409). */
  revision: z.number().int().min(0),
});
export type SaveResponseBody = z.infer<typeof saveResponseBody>;

/** One finding of the validation of a response (a field's value, a required field, or a rule). */
export const responseIssue = z.object({
  field: z.string().nullable(),
  rule: z.string().nullable(),
  importance: z.enum(["error", "warning"]),
  message: z.string(),
});
export type ResponseIssueDto = z.infer<typeof responseIssue>;

export const saveResponseResult = z.object({
  revision: z.number().int(),
  updatedAt: z.string(),
  state: z.enum(RESPONSE_STATES),
  issues: z.array(responseIssue),
});
export type SaveResponseResult = z.infer<typeof saveResponseResult>;

/** Completeness of a campaign under one territory, per child territory (or per school at the bottom). */
export const completenessRow = z.object({
  key: z.string(),
  label: z.string(),
  expected: z.number().int(),
  started: z.number().int(),
  submitted: z.number().int(),
  approved: z.number().int(),
  onTime: z.number().int(),
  /** Share of required fields answered over the expected schools, 0..1. */
  fieldsAnswered: z.number(),
  /** A school's row (the children of a district): its response's state and submission; null for a territory. */
  response: z.object({ state: z.enum(RESPONSE_STATES), submittedAt: z.string().nullable() }).nullable(),
});
export type CompletenessRow = z.infer<typeof completenessRow>;

export const campaignStatus = z.object({
  campaign: campaignHeading,
  territory: z.object({ key: z.string(), label: z.string() }),
  total: completenessRow,
  rows: z.array(completenessRow),
});
export type CampaignStatus = z.infer<typeof campaignStatus>;
