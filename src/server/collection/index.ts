import type { Command } from "commander";
import type { FastifyInstance } from "fastify";
import type { CampaignTemplate } from "../../contracts/collection.ts";
import type { CliContext, Mailer } from "../platform/index.ts";
import { registerCampaignCommands } from "./commands.ts";
import { registerFormRoutes } from "./form-routes.ts";
import { registerReminderJob } from "./reminder-job.ts";
import { registerReminderRoutes } from "./reminder-routes.ts";
import { type CollectionDeps, registerCollectionRoutes } from "./routes.ts";
import { loadCampaignTemplates } from "./templates.ts";

/**
 * Door of the collection module (issue 11, docs/collection.md): forms by version (those a DANE
 * saves herself too), campaigns built from the shipped templates or the saved forms, one response per target school (filled in with the same
 * rules in the browser and on the server), completeness per territory, and the answers into the
 * observatory as data values of the campaign's import batch. Other modules, app.ts and the CLI
 * import this module through this file only.
 */

export { createCampaign } from "./campaigns.ts";
export { valuesOfAnswers } from "./feed.ts";
export { getForm, listForms, saveForm } from "./form-library.ts";
export { listCampaigns } from "./listing.ts";
export { outlierWarnings } from "./outlier-checks.ts";
export { REMINDER_JOB, scheduleReminders } from "./reminder-job.ts";
export { saveResponse, submitResponse, viewResponse } from "./responses.ts";
export type { CollectionDeps } from "./routes.ts";
export { campaignStatus } from "./status.ts";
export { checkTemplateAgainstCatalogue, loadCampaignTemplates } from "./templates.ts";

let shipped: Promise<CampaignTemplate[]> | null = null;

/** The shipped templates, read and checked once per process. */
export function shippedTemplates(): Promise<CampaignTemplate[]> {
  shipped ??= loadCampaignTemplates();
  return shipped;
}

export function register(
  app: FastifyInstance,
  deps: Omit<CollectionDeps, "templates"> & { mailer: Mailer; publicUrl: string },
): void {
  registerCollectionRoutes(app, { ...deps, templates: shippedTemplates });
  registerFormRoutes(app, { ...deps, templates: shippedTemplates });
  registerReminderRoutes(app, deps);
  // Reminders go by mail, as jobs of the « mail » lane (reminder-job.ts).
  registerReminderJob(deps.jobs, deps.db, { mailer: deps.mailer, publicUrl: deps.publicUrl, log: app.log });
}

export function registerCollectionCommands(program: Command, ctx: CliContext): void {
  registerCampaignCommands(program, ctx, shippedTemplates);
}

export { migrations } from "./migrations/index.ts";
export type * from "./schema.ts";
