import { createHash } from "node:crypto";
import type { Transaction } from "kysely";
import {
  type Answers,
  type ExpandedField,
  expandForm,
  type FormDefinition,
} from "../../contracts/collection-form.ts";
import { type SchoolValueInput, writeImportValues } from "../indicators/index.ts";
import type { Database } from "../platform/index.ts";
import { recordImportBatch } from "../territories/index.ts";

/**
 * A response's answers into the observatory (issue 11, item 8): one data value per answered
 * field that names a data element (source « form »). A grid's cells are its breakdown; the
 * element's total is a field of its own (the indicators read the total, and a total asked of the
 * school is checked against the cells by a rule instead of being made up from them). Written in
 * an import batch of kind `collection:<campaign>`, so that the values point to the campaign and
 * the batch can be rolled back like any import.
 */

export interface FeedTarget {
  campaignId: string;
  campaignTitle: string;
  period: string;
  school: { id: string; uai: string; academyCode: string };
}

function numericAnswer(field: ExpandedField, answers: Answers): number | null {
  const a = answers[field.code];
  if (!a || a.unknown || a.value === null) return null;
  if (field.type === "yes_no") return typeof a.value === "boolean" ? (a.value ? 1 : 0) : null;
  return typeof a.value === "number" && Number.isFinite(a.value) ? a.value : null;
}

/** The data values of a response, in form order. */
export function valuesOfAnswers(
  form: FormDefinition,
  answers: Answers,
  target: FeedTarget,
): SchoolValueInput[] {
  const base = { schoolId: target.school.id, academyCode: target.school.academyCode, period: target.period };
  const out: SchoolValueInput[] = [];
  for (const field of expandForm(form)) {
    if (!field.dataElement) continue;
    const value = numericAnswer(field, answers);
    if (value !== null)
      out.push({ ...base, dataElement: field.dataElement, disaggregation: field.disaggregation, value });
  }
  return out;
}

/** Writes the response's values in a new batch; returns the batch id and how many values changed. */
export async function feedObservatory(
  trx: Transaction<Database>,
  form: FormDefinition,
  answers: Answers,
  target: FeedTarget,
): Promise<{ batchId: string; written: number }> {
  const values = valuesOfAnswers(form, answers, target);
  const batchId = await recordImportBatch(trx, {
    kind: `collection:${target.campaignId}`,
    fileName: `${target.campaignTitle} — ${target.school.uai}`,
    fileSha256: createHash("sha256").update(JSON.stringify(answers)).digest("hex"),
    report: { values: values.length },
  });
  const report = await writeImportValues(trx, batchId, values, "form");
  return { batchId, written: report.written };
}
