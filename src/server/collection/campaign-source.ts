import type { Kysely } from "kysely";
import { type CampaignInput, type CampaignTemplate, RESPONDENT_ROLES } from "../../contracts/collection.ts";
import { type Database, invalid } from "../platform/index.ts";
import { periodKindOf } from "./calendar.ts";
import { latestSavedForm } from "./forms.ts";

/**
 * What a campaign is made from: a shipped template, or a form a DANE saved (issue 11, point 1).
 * A saved form has no campaign settings of its own: it takes those of a template without
 * approval (all respondents, 30 days of late entry, values into the observatory at submission),
 * and any period, a school year or a civil year; the campaign's input may set each of them.
 * The campaign keeps the form's latest version (its id), never a copy.
 */

export interface CampaignSource {
  readonly template: CampaignTemplate;
  /** The saved form's version the campaign uses; absent for a template (its version is saved then). */
  readonly formId?: string;
}

export async function campaignSource(
  db: Kysely<Database>,
  templates: readonly CampaignTemplate[],
  input: Pick<CampaignInput, "template" | "form" | "period">,
  findTemplate: (templates: readonly CampaignTemplate[], code: string) => CampaignTemplate,
): Promise<CampaignSource> {
  if (input.template !== undefined && input.form !== undefined)
    throw invalid(
      "Donnez un modèle (template) ou un formulaire enregistré (form), pas les deux.",
      "template_or_form",
    );
  if (input.form !== undefined) return fromSavedForm(db, input.form, input.period);
  if (input.template === undefined)
    throw invalid(
      "Donnez le modèle (template) ou le formulaire enregistré (form) de la campagne.",
      "template_or_form",
    );
  return { template: findTemplate(templates, input.template) };
}

async function fromSavedForm(db: Kysely<Database>, code: string, period: string): Promise<CampaignSource> {
  const form = await latestSavedForm(db, code);
  if (!form)
    throw invalid(
      `Formulaire « ${code} » inconnu : voyez les formulaires enregistrés (vigie campaign form list).`,
      "unknown_form",
    );
  return {
    formId: form.id,
    template: {
      code: form.code,
      title: form.definition.title,
      ...(form.definition.description ? { description: form.definition.description } : {}),
      // The period's own kind: checked against itself, so only a malformed period is refused.
      periodKind: periodKindOf(period) ?? "school_year",
      respondents: [...RESPONDENT_ROLES],
      expiryDays: 30,
      approvalLevels: [],
      feed: "submitted",
      form: form.definition,
    },
  };
}
