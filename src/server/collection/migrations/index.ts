import type { Migrations } from "../../platform/index.ts";
import * as collection from "./0017-collection.ts";
import * as approval from "./0018-collection-approval.ts";
import * as reminders from "./0019-collection-reminders.ts";
import * as formOwner from "./0022-collection-form-owner.ts";

/** The collection tables (schema.ts): forms by version, campaigns, one response per target school; approvals and lock exceptions; the territory that owns a form a DANE saved. */
export const migrations: Migrations = {
  "0017-collection": collection,
  "0018-collection-approval": approval,
  "0019-collection-reminders": reminders,
  "0022-collection-form-owner": formOwner,
};
