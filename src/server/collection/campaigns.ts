import type { Kysely, Transaction } from "kysely";
import {
  type CampaignHeading,
  type CampaignInput,
  type CampaignSummary,
  type CampaignTarget,
  type CampaignTemplate,
  RESPONSE_STATES,
} from "../../contracts/collection.ts";
import { expandForm, type FormDefinition } from "../../contracts/collection-form.ts";
import { type NodeAddress, nodeKey, readNodeKey, TERRITORY_LEVELS } from "../../contracts/territory-tree.ts";
import { setExpectedSchools } from "../indicators/index.ts";
import { type Actor, type Database, invalid, notFound, recordAudit } from "../platform/index.ts";
import { findTargetSchools, resolveNode, resolveNodeKey, type TargetSchool } from "../territories/index.ts";
import { type Caller, requireManage, territoryPathOf } from "./access.ts";
import { levelsAreValid } from "./approval-machine.ts";
import { defaultDates, periodKindOf, phaseOf, todayInFrance } from "./calendar.ts";
import { campaignSource } from "./campaign-source.ts";
import { formById, saveFormVersion } from "./forms.ts";

/**
 * Creating a campaign from a template, and reading campaigns. A campaign's target is resolved
 * once, at creation: one response row per open school of the territory that passes the filters,
 * with the school's place in the tree (docs/collection.md, « Campagnes »).
 */

type Db = Kysely<Database>;

const PERIOD_KIND_LABELS = { school_year: "une année scolaire (2025-2026)", year: "une année civile (2025)" };
const RESPONSE_SLICE = 2000;

export function findTemplate(templates: readonly CampaignTemplate[], code: string): CampaignTemplate {
  const t = templates.find((x) => x.code === code);
  if (!t)
    throw invalid(
      `Modèle de campagne « ${code} » inconnu : modèles disponibles ${templates.map((x) => x.code).join(", ")}.`,
      "unknown_template",
    );
  return t;
}

function checkPeriod(template: CampaignTemplate, period: string): void {
  if (periodKindOf(period) !== template.periodKind)
    throw invalid(
      `Période « ${period} » invalide : le modèle « ${template.code} » demande ${PERIOD_KIND_LABELS[template.periodKind]}.`,
      "invalid_period",
    );
}

async function resolveTerritory(db: Db, text: string): Promise<{ node: NodeAddress; name: string }> {
  const { ref } = await resolveNodeKey(db, text, { field: "target.territory", levels: TERRITORY_LEVELS });
  return { node: { level: ref.level, code: ref.code }, name: ref.name };
}

function checkDates(opensOn: string, closesOn: string): void {
  for (const d of [opensOn, closesOn])
    if (Number.isNaN(Date.parse(`${d}T00:00:00Z`)))
      throw invalid(`Date « ${d} » inexistante.`, "invalid_date");
  if (closesOn < opensOn)
    throw invalid(
      `La date de clôture (${closesOn}) précède la date d'ouverture (${opensOn}).`,
      "invalid_dates",
    );
}

async function targetSchools(db: Db, node: NodeAddress, target: CampaignTarget, template: CampaignTemplate) {
  const schools = await findTargetSchools(db, node, {
    schoolTypes: target.schoolTypes ?? template.schoolTypes,
    sector: target.sector,
    priorityEducation: target.priorityEducation,
    uais: target.uais,
  });
  if (target.uais && target.uais.length > 0) {
    const found = new Set(schools.map((s) => s.uai));
    const missing = target.uais.map((u) => u.trim().toUpperCase()).filter((u) => !found.has(u));
    if (missing.length > 0)
      throw invalid(
        `UAI hors de la cible (inconnus, fermés, hors du territoire ou d'un autre type) : ${missing.slice(0, 20).join(", ")}${missing.length > 20 ? "…" : ""}.`,
        "invalid_target",
      );
  }
  if (schools.length === 0)
    throw invalid(
      "Aucun établissement ouvert ne correspond à cette cible : la campagne n'aurait personne à interroger.",
      "empty_target",
    );
  return schools;
}

/** The data elements the form's answers become values of. */
export function fedElements(form: FormDefinition): string[] {
  return [...new Set(expandForm(form).flatMap((f) => (f.dataElement ? [f.dataElement] : [])))];
}

export function requiredCount(form: FormDefinition): number {
  return expandForm(form).filter((f) => f.required).length;
}

async function insertResponses(
  trx: Transaction<Database>,
  campaignId: string,
  schools: TargetSchool[],
  required: number,
) {
  for (let i = 0; i < schools.length; i += RESPONSE_SLICE) {
    await trx
      .insertInto("collection_response")
      .values(
        schools.slice(i, i + RESPONSE_SLICE).map((s) => ({
          campaign_id: campaignId,
          school_id: s.id,
          uai: s.uai,
          school_name: s.name,
          school_type: s.type,
          academic_region_code: s.academicRegionCode,
          academy_code: s.academyCode,
          department_code: s.departmentCode,
          district_code: s.districtCode,
          required_fields: required,
        })),
      )
      .execute();
  }
}

/** Creates a campaign and its responses in one transaction; checks the caller manages the territory. */
export async function createCampaign(
  db: Db,
  templates: readonly CampaignTemplate[],
  input: CampaignInput,
  caller: Caller,
  actor: Actor,
): Promise<CampaignSummary> {
  const { template, formId } = await campaignSource(db, templates, input, findTemplate);
  checkPeriod(template, input.period);
  const territory = await resolveTerritory(db, input.target.territory);
  requireManage(caller, await territoryPathOf(db, territory.node), `${territory.name}`);
  const levels: readonly string[] = input.approvalLevels ?? template.approvalLevels;
  if (!levelsAreValid(levels))
    throw invalid(
      `Niveaux d'approbation « ${levels.join(", ")} » invalides : un ou deux niveaux distincts, du plus proche de l'établissement au plus haut (district, département, académie).`,
      "invalid_approval_levels",
    );
  const dates = { ...defaultDates(todayInFrance()), ...definedDates(input) };
  checkDates(dates.opensOn, dates.closesOn);
  const schools = await targetSchools(db, territory.node, input.target, template);
  const id = await db.transaction().execute(async (trx) => {
    // A saved form's version as it is; a template's form saved (a new version if it changed).
    const form = formId
      ? await formById(trx, formId)
      : await saveFormVersion(trx, template.form, actor.label);
    const row = await trx
      .insertInto("collection_campaign")
      .values({
        title: input.title ?? `${template.title} ${input.period}`,
        template: template.code,
        form_id: form.id,
        period: input.period,
        territory: nodeKey(territory.node),
        target: JSON.stringify({ ...input.target, territory: nodeKey(territory.node) }),
        respondents: input.respondents ?? template.respondents,
        opens_on: dates.opensOn,
        closes_on: dates.closesOn,
        expiry_days: input.expiryDays ?? template.expiryDays,
        approval_levels: [...levels],
        feed: input.feed ?? template.feed,
        ...(input.reminders
          ? {
              reminder_days: input.reminders.days,
              reminder_min_interval_days: input.reminders.minIntervalDays,
              reminder_max_count: input.reminders.maxCount,
            }
          : {}),
        ...(input.outlierThreshold !== undefined ? { outlier_threshold: input.outlierThreshold } : {}),
        created_by: actor.label,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    const campaignId = String(row.id);
    await insertResponses(trx, campaignId, schools, requiredCount(template.form));
    // The dashboards measure these elements' coverage against the campaign's target (item 8).
    await setExpectedSchools(trx, {
      source: `collection:${campaignId}`,
      dataElements: fedElements(template.form),
      period: input.period,
      schools,
    });
    await recordAudit(trx, actor, {
      action: "collection.campaign.created",
      entityType: "collection_campaign",
      entityId: campaignId,
      territory: territory.node,
      summary: {
        ...(formId ? { form: template.code } : { template: template.code }),
        period: input.period,
        schools: schools.length,
        formVersion: form.version,
      },
    });
    return campaignId;
  });
  return campaignSummary(db, id);
}

function definedDates(input: CampaignInput): { opensOn?: string; closesOn?: string } {
  return {
    ...(input.opensOn ? { opensOn: input.opensOn } : {}),
    ...(input.closesOn ? { closesOn: input.closesOn } : {}),
  };
}

export async function campaignRow(db: Db, id: string) {
  if (!/^\d{1,18}$/.test(id)) throw notFound(`Campagne « ${id} » introuvable.`);
  const row = await db.selectFrom("collection_campaign").selectAll().where("id", "=", id).executeTakeFirst();
  if (!row) throw notFound(`Campagne « ${id} » introuvable.`);
  return row;
}

type Row = Awaited<ReturnType<typeof campaignRow>>;

async function territoryLabel(db: Db, key: string): Promise<string> {
  const read = readNodeKey(key);
  if (!read.ok) return key;
  return (await resolveNode(db, read.node))?.ref.name ?? key;
}

/**
 * Form versions by form id. A form's row never changes (a changed definition is a new row, a new
 * id), so one read per process is enough; the completeness and response pages ask it each time.
 */
const formVersions = new Map<string, number>();

async function formVersionOf(db: Db, formId: string): Promise<number> {
  const known = formVersions.get(formId);
  if (known !== undefined) return known;
  const form = await db
    .selectFrom("collection_form")
    .select("version")
    .where("id", "=", formId)
    .executeTakeFirstOrThrow();
  formVersions.set(formId, form.version);
  return form.version;
}

/** The campaign without its counts of responses (the completeness page counts its own territory). */
export async function headingOf(db: Db, row: Row, today = todayInFrance()): Promise<CampaignHeading> {
  const dates = { opensOn: row.opens_on, closesOn: row.closes_on, expiryDays: row.expiry_days };
  return {
    id: String(row.id),
    title: row.title,
    template: row.template,
    formVersion: await formVersionOf(db, String(row.form_id)),
    period: row.period,
    territory: row.territory,
    territoryLabel: await territoryLabel(db, row.territory),
    opensOn: row.opens_on,
    closesOn: row.closes_on,
    expiryDays: row.expiry_days,
    approvalLevels: row.approval_levels as CampaignSummary["approvalLevels"],
    feed: row.feed,
    respondents: row.respondents as CampaignSummary["respondents"],
    phase: phaseOf(dates, today),
    createdAt: new Date(row.created_at).toISOString(),
  };
}

export async function summaryOf(db: Db, row: Row, today = todayInFrance()): Promise<CampaignSummary> {
  const byState = await db
    .selectFrom("collection_response")
    .select((eb) => ["state", eb.fn.countAll<string>().as("n")])
    .where("campaign_id", "=", row.id)
    .groupBy("state")
    .execute();
  const count = (states: readonly string[]) =>
    byState.filter((r) => states.includes(r.state)).reduce((n, r) => n + Number(r.n), 0);
  const heading = await headingOf(db, row, today);
  return {
    ...heading,
    expected: count(RESPONSE_STATES),
    submitted: count(["submitted", "approved", "accepted"]),
  };
}

export async function campaignSummary(db: Db, id: string): Promise<CampaignSummary> {
  return summaryOf(db, await campaignRow(db, id));
}
