import type { Generated } from "kysely";
import type { ApprovalLevel, ResponseState } from "../../contracts/collection.ts";

/**
 * The collection tables (migration 0017), added to platform's `Database` by declaration merging
 * (see territories/schema.ts). Only this module's files read or write them.
 */
declare module "../platform/index.ts" {
  interface Database {
    collection_form: CollectionFormTable;
    collection_campaign: CollectionCampaignTable;
    collection_response: CollectionResponseTable;
    collection_reminder: CollectionReminderTable;
    collection_approval: CollectionApprovalTable;
  }
}

/** One version of a form: a campaign keeps the version it started with. */
export interface CollectionFormTable {
  id: Generated<string>;
  code: string;
  version: number;
  /** A `FormDefinition` (contracts/collection-form.ts), validated before it is stored. */
  definition: unknown;
  created_by: string;
  created_at: Generated<Date>;
  /** The territory key that owns a form saved by a DANE (migration 0022); null for a template's. */
  territory: string | null;
}

export interface CollectionCampaignTable {
  id: Generated<string>;
  title: string;
  template: string;
  form_id: string;
  period: string;
  /** The territory key the campaign was created for (`academy:14`). */
  territory: string;
  /** The `CampaignTarget` asked (territory and filters). */
  target: unknown;
  respondents: string[];
  opens_on: string;
  closes_on: string;
  expiry_days: number;
  approval_levels: string[];
  feed: "submitted" | "approved";
  /** Days before the closing date at which reminders go (negative: after it), migration 0019. */
  reminder_days: Generated<number[]>;
  /** Least number of days between two reminders to the same school. */
  reminder_min_interval_days: Generated<number>;
  /** Most reminders a school gets in the campaign (scheduled and manual together). */
  reminder_max_count: Generated<number>;
  /** Modified z-score above which a value is flagged « atypique » (docs/collection.md). */
  outlier_threshold: Generated<number>;
  created_by: string;
  created_at: Generated<Date>;
}

/** A target school's response, with its place in the tree when the campaign was created. */
export interface CollectionResponseTable {
  id: Generated<string>;
  campaign_id: string;
  school_id: string;
  uai: string;
  school_name: string;
  school_type: string;
  academic_region_code: string;
  academy_code: string;
  department_code: string;
  district_code: string | null;
  state: Generated<ResponseState>;
  /** `Answers` by field code. */
  answers: Generated<unknown>;
  revision: Generated<number>;
  required_fields: Generated<number>;
  answered_fields: Generated<number>;
  updated_at: Date | null;
  updated_by: string | null;
  submitted_at: Date | null;
  submitted_by: string | null;
  return_comment: string | null;
  /** territories' `import_batch.id` of the values the response gave the observatory. */
  batch_id: string | null;
  /** Lock exception (migration 0018): the school may still fill in until this date (ISO), after the expiry. */
  lock_exception_until: string | null;
  lock_exception_by: string | null;
}

/** A territory of an approval level that approved a campaign (or whose approval was accepted above). */
export interface CollectionApprovalTable {
  campaign_id: string;
  level: ApprovalLevel;
  code: string;
  state: "approved" | "accepted";
  approved_by: string;
  approved_at: Generated<Date>;
  accepted_by: string | null;
  accepted_at: Date | null;
  comment: string | null;
}

/** One reminder sent to a school's respondents (migration 0019): the history the reminder rules read. */
export interface CollectionReminderTable {
  id: Generated<string>;
  campaign_id: string;
  school_id: string;
  sent_at: Generated<Date>;
  kind: "scheduled" | "manual";
  /** How many people were written to (their addresses are not copied here). */
  recipients: number;
  job_id: string | null;
}
