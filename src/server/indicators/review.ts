import type { Kysely } from "kysely";
import type { HeldDecision, HeldValue, HeldValuesResponse } from "../../contracts/indicators.ts";
import { can, type PermissionTarget, type Principal } from "../identity/index.ts";
import { type Actor, type Database, notFound, recordAudit } from "../platform/index.ts";
import { findSchoolAncestriesByIds, findSchoolIds, type SchoolAncestry } from "../territories/index.ts";
import { getCatalogue } from "./catalogue.ts";
import { requestRollup } from "./store.ts";

/**
 * The review of implausible values (docs/indicator-semantics.md, « Valeurs invraisemblables »):
 * a value held by the store (store.ts, domain/outliers.ts) waits here, out of every figure, until
 * a user above the school (permission `indicators.review`, which no school role holds) accepts
 * it — it is published and rolled up — or rejects it — it is deleted and the school writes it
 * again. Each decision is an audit event.
 */

/** Held values are rare; a list longer than this is cut (the total stays exact). */
const LIST_LIMIT = 500;
/** Held rows read at most for one list (oldest first). */
const SCAN_LIMIT = 20_000;

const schoolTarget = (school: SchoolAncestry): PermissionTarget => ({ kind: "school", school });

/** The held values of the schools in the reader's scope, oldest first. */
export async function listHeldValues(
  db: Kysely<Database>,
  principal: Principal | null,
): Promise<HeldValuesResponse> {
  const rows = await db
    .selectFrom("data_value")
    .select([
      "school_id",
      "data_element_code",
      "period",
      "disaggregation",
      "value",
      "held_limit",
      "source",
      "updated_at",
    ])
    .where("status", "=", "held")
    .orderBy("updated_at")
    .orderBy("school_id")
    .limit(SCAN_LIMIT)
    .execute();
  const schools = new Map(
    (await findSchoolAncestriesByIds(db, [...new Set(rows.map((r) => r.school_id))])).map((s) => [s.id, s]),
  );
  const catalogue = await getCatalogue();
  const items: HeldValue[] = [];
  let total = 0;
  for (const r of rows) {
    const school = schools.get(r.school_id);
    if (!school || !can(principal, "indicators.review", schoolTarget(school))) continue;
    total++;
    if (items.length >= LIST_LIMIT) continue;
    items.push({
      uai: school.uai,
      schoolName: school.name,
      academyCode: school.academyCode,
      departmentCode: school.departmentCode,
      dataElement: r.data_element_code,
      dataElementName: catalogue.elements.get(r.data_element_code)?.name ?? r.data_element_code,
      period: r.period,
      disaggregation: r.disaggregation,
      value: r.value,
      limit: r.held_limit,
      source: r.source,
      updatedAt: new Date(r.updated_at).toISOString(),
    });
  }
  return { items, total };
}

export interface HeldValueKey {
  readonly uai: string;
  readonly dataElement: string;
  readonly period: string;
  readonly disaggregation: string;
}

/**
 * Accepts or rejects one held value (the route has checked the reviewer's scope on the school).
 * 404 when no such value is held (already reviewed, or rewritten by the school meanwhile).
 */
export async function decideHeldValue(
  db: Kysely<Database>,
  key: HeldValueKey,
  decision: HeldDecision,
  actor: Actor,
): Promise<void> {
  const uai = key.uai.toUpperCase();
  const school = (await findSchoolIds(db, [uai])).get(uai);
  const missing = () =>
    notFound(
      `Aucune valeur retenue pour « ${key.dataElement} », ${key.period}, établissement ${uai} : elle a peut-être déjà été examinée.`,
      "held_value_not_found",
    );
  if (!school) throw missing();
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom("data_value")
      .select(["value", "held_limit"])
      .where("academy_code", "=", school.academyCode)
      .where("data_element_code", "=", key.dataElement)
      .where("period", "=", key.period)
      .where("school_id", "=", school.id)
      .where("disaggregation", "=", key.disaggregation)
      .where("status", "=", "held")
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw missing();
    if (decision === "accept") {
      await trx
        .updateTable("data_value")
        .set({ status: "published", reviewed_by: actor.label, reviewed_at: new Date() })
        .where("academy_code", "=", school.academyCode)
        .where("data_element_code", "=", key.dataElement)
        .where("period", "=", key.period)
        .where("school_id", "=", school.id)
        .where("disaggregation", "=", key.disaggregation)
        .execute();
      // Now in the figures: the aggregates it touches are refreshed like after any write.
      await requestRollup(
        trx,
        new Map([[school.academyCode, { elements: [key.dataElement], periods: [key.period] }]]),
      );
    } else {
      await trx
        .deleteFrom("data_value")
        .where("academy_code", "=", school.academyCode)
        .where("data_element_code", "=", key.dataElement)
        .where("period", "=", key.period)
        .where("school_id", "=", school.id)
        .where("disaggregation", "=", key.disaggregation)
        .execute();
    }
    await recordAudit(trx, actor, {
      action: decision === "accept" ? "data_values.held.accept" : "data_values.held.reject",
      entityType: "data_value",
      entityId: `${uai}|${key.dataElement}|${key.period}|${key.disaggregation}`,
      territory: { level: "school", code: uai, academyCode: school.academyCode },
      summary: {
        uai,
        dataElement: key.dataElement,
        period: key.period,
        value: row.value,
        limit: row.held_limit,
      },
    });
  });
}
