import { z } from "zod";
import { APPROVAL_LEVELS, RESPONSE_STATES } from "./collection.ts";

/**
 * Approval of a campaign up the hierarchy (issue 11, item 4; docs/collection.md, « Validation »):
 * a school's response approved, unapproved or returned with a comment; a territory of an approval
 * level approved, unapproved, accepted or unaccepted by the level above; lock exceptions. Shared
 * by the server (validation, OpenAPI) and the web app (types).
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Date attendue au format AAAA-MM-JJ.");

export const RESPONSE_ACTIONS = ["approve", "unapprove", "return"] as const;
export type ResponseActionName = (typeof RESPONSE_ACTIONS)[number];
export const NODE_ACTIONS = ["approve", "unapprove", "accept", "unaccept"] as const;
export type NodeActionName = (typeof NODE_ACTIONS)[number];

/** Body of `…/responses/:uai/approve` and `…/unapprove`: an optional comment kept in the audit log. */
export const approvalCommentBody = z.object({ comment: z.string().trim().max(2000).optional() }).default({});

/** Body of `…/responses/:uai/return`: why the school must correct its answers (it sees this text). */
export const returnResponseBody = z.object({
  comment: z.string().trim().min(1, "Dites à l'établissement ce qu'il doit corriger.").max(2000),
});
export type ReturnResponseBody = z.infer<typeof returnResponseBody>;

export const responseApprovalResult = z.object({
  uai: z.string(),
  state: z.enum(RESPONSE_STATES),
  returnComment: z.string().nullable(),
  /** Data values written to the observatory (campaigns fed on approval). */
  valuesWritten: z.number().int(),
  /** Data values taken back out of the observatory (a fed response returned or unapproved). */
  valuesRemoved: z.number().int(),
});
export type ResponseApprovalResult = z.infer<typeof responseApprovalResult>;

/** Body of `POST …/approvals`: a step on a territory of an approval level. */
export const nodeApprovalBody = z.object({
  level: z.enum(APPROVAL_LEVELS),
  /** The territory's code (`033`) or key (`department:033`). */
  territory: z.string().trim().min(1).max(40),
  action: z.enum(NODE_ACTIONS),
  comment: z.string().trim().max(2000).optional(),
});
export type NodeApprovalBody = z.infer<typeof nodeApprovalBody>;

export const nodeApprovalResult = z.object({
  level: z.enum(APPROVAL_LEVELS),
  code: z.string(),
  /** The territory's approval after the step (null: not approved). */
  state: z.enum(["approved", "accepted"]).nullable(),
  /** Responses whose state the step changed (accepted or back to approved). */
  responsesChanged: z.number().int(),
});
export type NodeApprovalResult = z.infer<typeof nodeApprovalResult>;

export const approvalNodeRow = z.object({
  level: z.enum(APPROVAL_LEVELS),
  code: z.string(),
  label: z.string(),
  state: z.enum(["approved", "accepted"]).nullable(),
  by: z.string().nullable(),
  at: z.string().nullable(),
  schools: z.number().int(),
  approvedSchools: z.number().int(),
  /** The steps the caller may take on it now. */
  actions: z.array(z.enum(NODE_ACTIONS)),
});
export type ApprovalNodeRow = z.infer<typeof approvalNodeRow>;

export const approvalSchoolRow = z.object({
  uai: z.string(),
  name: z.string(),
  state: z.enum(RESPONSE_STATES),
  district: z.string().nullable(),
  department: z.string(),
  returnComment: z.string().nullable(),
  lockExceptionUntil: z.string().nullable(),
  actions: z.array(z.enum(RESPONSE_ACTIONS)),
});
export type ApprovalSchoolRow = z.infer<typeof approvalSchoolRow>;

/** `GET …/approvals?territory=`: the approval state under a territory, and what the caller may do. */
export const approvalOverview = z.object({
  campaignId: z.string(),
  approvalLevels: z.array(z.enum(APPROVAL_LEVELS)),
  territory: z.object({ key: z.string(), label: z.string() }),
  nodes: z.array(approvalNodeRow),
  schools: z.array(approvalSchoolRow),
});
export type ApprovalOverview = z.infer<typeof approvalOverview>;

export const lockExceptionBody = z.object({
  /** Last day (ISO) the school may still fill in after the expiry; null removes the exception. */
  until: isoDate.nullable(),
});
export type LockExceptionBody = z.infer<typeof lockExceptionBody>;

export const lockExceptionResult = z.object({ uai: z.string(), lockExceptionUntil: z.string().nullable() });
export type LockExceptionResult = z.infer<typeof lockExceptionResult>;
