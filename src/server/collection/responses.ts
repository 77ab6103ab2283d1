import type { Kysely, Transaction } from "kysely";
import type {
  ResponseState,
  ResponseView,
  SaveResponseBody,
  SaveResponseResult,
} from "../../contracts/collection.ts";
import { type Answers, answers as answersSchema, expandForm } from "../../contracts/collection-form.ts";
import {
  checkSubmission,
  type ResponseIssue,
  requiredAnswered,
  validateResponse,
} from "../../contracts/collection-rules.ts";
import { disaggregationKey, readSchoolValues } from "../indicators/index.ts";
import {
  type Actor,
  AppError,
  conflict,
  type Database,
  forbidden,
  notFound,
  recordAudit,
} from "../platform/index.ts";
import { type Caller, followsSchool, isRespondent, placeOf, requireSignedIn } from "./access.ts";
import { addDays, previousPeriod, todayInFrance } from "./calendar.ts";
import { campaignRow, summaryOf } from "./campaigns.ts";
import { feedObservatory } from "./feed.ts";
import { formById, type StoredForm } from "./forms.ts";
import { outlierWarningsOf } from "./outlier-checks.ts";

/**
 * A school's response: read (with last year's answers and the known headcounts), saved as a
 * draft (autosave, no lost update: a save names the revision it started from), submitted (the
 * same rules as the browser's, on the server; blocking errors refuse it). After submission the
 * answers are read-only until returned (docs/collection.md, « Répondre »).
 */

type Db = Kysely<Database>;
type CampaignRow = Awaited<ReturnType<typeof campaignRow>>;

async function responseRow(db: Db, campaignId: string, uai: string) {
  const row = await db
    .selectFrom("collection_response")
    .selectAll()
    .where("campaign_id", "=", campaignId)
    .where("uai", "=", uai.trim().toUpperCase())
    .executeTakeFirst();
  if (!row) throw notFound(`L'établissement ${uai.toUpperCase()} n'est pas interrogé par cette campagne.`);
  return row;
}

type ResponseRow = Awaited<ReturnType<typeof responseRow>>;

interface Loaded {
  campaign: CampaignRow;
  response: ResponseRow;
  form: StoredForm;
}

async function load(db: Db, campaignId: string, uai: string): Promise<Loaded> {
  const campaign = await campaignRow(db, campaignId);
  const response = await responseRow(db, campaign.id, uai);
  return { campaign, response, form: await formById(db, campaign.form_id) };
}

function readAnswers(raw: unknown): Answers {
  const parsed = answersSchema.safeParse(raw ?? {});
  return parsed.success ? parsed.data : {};
}

/** Last year's answers: the same school's response to last year's campaign of the same template. */
async function previousAnswers(db: Db, l: Loaded): Promise<Answers> {
  const period = previousPeriod(l.campaign.period);
  if (!period) return {};
  const row = await db
    .selectFrom("collection_response")
    .innerJoin("collection_campaign", "collection_campaign.id", "collection_response.campaign_id")
    .select("collection_response.answers")
    .where("collection_campaign.template", "=", l.campaign.template)
    .where("collection_campaign.period", "=", period)
    .where("collection_response.school_id", "=", l.response.school_id)
    .where("collection_response.state", "in", ["submitted", "approved", "accepted"])
    .orderBy("collection_campaign.id", "desc")
    .executeTakeFirst();
  if (row) return readAnswers(row.answers);
  return previousFromObservatory(db, l, period);
}

/** Without last year's campaign, the observatory's values of last year's period for the form's fields. */
async function previousFromObservatory(db: Db, l: Loaded, period: string): Promise<Answers> {
  const fields = expandForm(l.form.definition).filter((f) => f.dataElement && f.type !== "yes_no");
  const values = await readSchoolValues(
    db,
    l.response.school_id,
    fields.map((f) => f.dataElement as string),
    [period],
  );
  const byKey = new Map(values.map((v) => [`${v.dataElement}|${v.disaggregation}`, v.value]));
  const out: Answers = {};
  for (const f of fields) {
    const v = byKey.get(`${f.dataElement}|${disaggregationKey(f.disaggregation)}`);
    if (v !== undefined) out[f.code] = { value: v, unknown: false };
  }
  return out;
}

/** Headcounts the observatory knows (fields with `prefillFrom`), this period or last year's. */
async function prefillOf(db: Db, l: Loaded): Promise<Record<string, number>> {
  const fields = expandForm(l.form.definition).filter((f) => f.prefillFrom);
  const periods = [l.campaign.period, previousPeriod(l.campaign.period)].filter(
    (p): p is string => p !== null,
  );
  const values = await readSchoolValues(
    db,
    l.response.school_id,
    fields.map((f) => f.prefillFrom as string),
    periods,
  );
  const out: Record<string, number> = {};
  for (const f of fields) {
    // The campaign's own period first, else last year's; totals only.
    const found = periods
      .map((p) =>
        values.find((v) => v.dataElement === f.prefillFrom && v.period === p && v.disaggregation === ""),
      )
      .find((v) => v !== undefined);
    if (found) out[f.code] = found.value;
  }
  return out;
}

const EDITABLE: readonly ResponseState[] = ["not_started", "draft", "returned"];

/** Why the respondent may not change the answers now, or null when they may. */
function lockReason(l: Loaded, today: string): string | null {
  const state = l.response.state;
  if (!EDITABLE.includes(state))
    return "Les réponses ont été transmises : elles ne sont plus modifiables, sauf si elles vous sont renvoyées pour correction.";
  if (today < l.campaign.opens_on) return `La campagne ouvrira le ${frenchDate(l.campaign.opens_on)}.`;
  const lockedAfter = addDays(l.campaign.closes_on, l.campaign.expiry_days);
  // A response returned for correction may be corrected after the expiry: the return is the exception;
  // so is a lock exception granted by a user above the school (approvals.ts), until its date.
  const excepted = l.response.lock_exception_until !== null && today <= l.response.lock_exception_until;
  if (today > lockedAfter && state !== "returned" && !excepted)
    return `La saisie est verrouillée depuis le ${frenchDate(addDays(lockedAfter, 1))} (clôture le ${frenchDate(l.campaign.closes_on)}, plus ${l.campaign.expiry_days} jours).`;
  return null;
}

function frenchDate(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${d}/${m}/${y}`;
}

function requireReader(caller: Caller, l: Loaded): void {
  requireSignedIn(caller);
  const place = placeOf(l.response);
  if (!isRespondent(caller, l.campaign.respondents, place) && !followsSchool(caller, place))
    throw forbidden(
      `L'établissement ${l.response.uai} est hors de votre périmètre : ses réponses sont réservées à son équipe et aux équipes qui le suivent.`,
    );
}

function requireRespondent(caller: Caller, l: Loaded): void {
  requireSignedIn(caller);
  if (!isRespondent(caller, l.campaign.respondents, placeOf(l.response)))
    throw forbidden(
      `Seuls les répondants de l'établissement ${l.response.uai} (${l.campaign.respondents.map(respondentLabel).join(", ")}) peuvent saisir ses réponses.`,
    );
}

function respondentLabel(role: string): string {
  return role === "school-head"
    ? "chef d'établissement"
    : role === "school-referent"
      ? "référent numérique"
      : role;
}

export async function viewResponse(
  db: Db,
  caller: Caller,
  campaignId: string,
  uai: string,
): Promise<ResponseView> {
  const l = await load(db, campaignId, uai);
  requireReader(caller, l);
  const today = todayInFrance();
  return {
    campaign: await summaryOf(db, l.campaign, today),
    form: l.form.definition,
    school: { uai: l.response.uai, name: l.response.school_name },
    state: l.response.state,
    answers: readAnswers(l.response.answers),
    previous: await previousAnswers(db, l),
    prefill: await prefillOf(db, l),
    revision: l.response.revision,
    updatedAt: l.response.updated_at ? new Date(l.response.updated_at).toISOString() : null,
    submittedAt: l.response.submitted_at ? new Date(l.response.submitted_at).toISOString() : null,
    returnComment: l.response.return_comment,
    editable:
      isRespondent(caller, l.campaign.respondents, placeOf(l.response)) && lockReason(l, today) === null,
  };
}

function requireEditable(l: Loaded): void {
  const reason = lockReason(l, todayInFrance());
  if (reason) throw new AppError(409, "response_locked", reason);
}

/** Values outside their type or bounds, or answers to fields the form has not: refused, nothing stored. */
function refuseBadValues(
  l: Loaded,
  answers: Answers,
  previous: Answers,
): ReturnType<typeof validateResponse> {
  const result = validateResponse(l.form.definition, answers, previous, { submission: false });
  refuseIfAny(result.errors.filter((i) => i.rule === null));
  return result;
}

function refuseIfAny(bad: readonly ResponseIssue[]): void {
  if (bad.length > 0)
    throw new AppError(
      400,
      "invalid_answers",
      `Réponses refusées, rien n'est enregistré : ${bad.map((i) => i.message).join(" ; ")}.`,
      { details: { issues: bad } },
    );
}

async function writeAnswers(
  trx: Transaction<Database>,
  l: Loaded,
  body: SaveResponseBody,
  state: ResponseState,
  actor: Actor,
) {
  const counts = requiredAnswered(l.form.definition, body.answers);
  const now = new Date();
  const updated = await trx
    .updateTable("collection_response")
    .set({
      answers: JSON.stringify(body.answers),
      revision: body.revision + 1,
      state,
      required_fields: counts.required,
      answered_fields: counts.answered,
      updated_at: now,
      updated_by: actor.label,
      // A resubmission answers the return: its comment is history (in the audit log), not a current request.
      ...(state === "submitted"
        ? { submitted_at: now, submitted_by: actor.label, return_comment: null }
        : {}),
    })
    .where("id", "=", l.response.id)
    // The revision the browser started from must still be the stored one (no lost update).
    .where("revision", "=", body.revision)
    .where("state", "in", [...EDITABLE])
    .returning(["revision", "updated_at"])
    .executeTakeFirst();
  if (!updated)
    throw conflict(
      "Ces réponses ont été modifiées entre-temps (autre onglet ou autre personne) : rechargez la page pour voir la dernière version, vos saisies restent dans ce navigateur.",
      "stale_revision",
    );
  return { revision: updated.revision, updatedAt: new Date(updated.updated_at ?? now).toISOString() };
}

/** Autosave: stores the answers as a draft; rule findings are returned, not refused. */
export async function saveResponse(
  db: Db,
  caller: Caller,
  actor: Actor,
  campaignId: string,
  uai: string,
  body: SaveResponseBody,
): Promise<SaveResponseResult> {
  const l = await load(db, campaignId, uai);
  requireRespondent(caller, l);
  requireEditable(l);
  const previous = await previousAnswers(db, l);
  const result = refuseBadValues(l, body.answers, previous);
  const state: ResponseState = l.response.state === "returned" ? "returned" : "draft";
  const saved = await db.transaction().execute((trx) => writeAnswers(trx, l, body, state, actor));
  const outliers = await outlierWarningsOf(
    db,
    { campaign: l.campaign, form: l.form, schoolType: l.response.school_type },
    body.answers,
    previous,
  );
  return { ...saved, state, issues: [...result.errors, ...result.warnings, ...outliers] };
}

export interface SubmitOutcome extends SaveResponseResult {
  /** Values written to the observatory (the campaign feeds it on submission). */
  valuesWritten: number;
  fed: boolean;
}

/** Submission: every required field answered, no blocking rule broken; then read-only. */
export async function submitResponse(
  db: Db,
  caller: Caller,
  actor: Actor,
  campaignId: string,
  uai: string,
  body: SaveResponseBody,
): Promise<SubmitOutcome> {
  const l = await load(db, campaignId, uai);
  requireRespondent(caller, l);
  requireEditable(l);
  const previous = await previousAnswers(db, l);
  // One pass over the rules: the bad values refused (400), then the submission's errors (422).
  const result = checkSubmission(l.form.definition, body.answers, previous);
  refuseIfAny(result.refused);
  if (result.errors.length > 0)
    throw new AppError(
      422,
      "blocking_errors",
      `Transmission refusée : ${result.errors.length} erreur${result.errors.length > 1 ? "s" : ""} à corriger (${result.errors[0]?.message}${result.errors.length > 1 ? "…" : ""}). Vos réponses sont enregistrées comme brouillon.`,
      { details: { issues: [...result.errors, ...result.warnings] } },
    );
  const fed = l.campaign.feed === "submitted";
  const outcome = await db.transaction().execute(async (trx) => {
    const saved = await writeAnswers(trx, l, body, "submitted", actor);
    const feed = fed ? await feedResponse(trx, l, body.answers) : { written: 0 };
    await recordAudit(trx, actor, {
      action: "collection.response.submitted",
      entityType: "collection_response",
      entityId: String(l.response.id),
      territory: { level: "school", code: l.response.uai, academyCode: l.response.academy_code },
      summary: { campaign: String(l.campaign.id), warnings: result.warnings.length, values: feed.written },
    });
    return { ...saved, written: feed.written };
  });
  // Far from the peers or from last year: a warning, never a refusal (the approver sees the list).
  const outliers = await outlierWarningsOf(
    db,
    { campaign: l.campaign, form: l.form, schoolType: l.response.school_type },
    body.answers,
    previous,
  );
  return {
    revision: outcome.revision,
    updatedAt: outcome.updatedAt,
    state: "submitted",
    issues: [...result.warnings, ...outliers],
    valuesWritten: outcome.written,
    fed,
  };
}

/** Writes the response's values in its batch (inside the caller's transaction) and remembers the batch. */
export async function feedResponse(trx: Transaction<Database>, l: Loaded, answers: Answers) {
  const feed = await feedObservatory(trx, l.form.definition, answers, {
    campaignId: String(l.campaign.id),
    campaignTitle: l.campaign.title,
    period: l.campaign.period,
    school: { id: String(l.response.school_id), uai: l.response.uai, academyCode: l.response.academy_code },
  });
  await trx
    .updateTable("collection_response")
    .set({ batch_id: feed.batchId })
    .where("id", "=", l.response.id)
    .execute();
  return feed;
}
