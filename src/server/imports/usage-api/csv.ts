import { CsvTokenizer, detectSeparator, invalid } from "../../platform/index.ts";
import { usageHeader, usageProfile } from "../profiles/usage.ts";
import type { BatchRow } from "./batches.ts";

/**
 * A CSV batch of the usage API: the platform's tokenizer (one for every CSV of Vigie), a header
 * naming the API's fields (`uai;date;service;profile;measure;value`, in any order; the French
 * labels of the `usage` profile are read too), the physical line of each row kept for refusals.
 */
export function csvBatch(text: string, batchId: string) {
  const body = text.replace(/^\uFEFF/, "");
  const firstLine = body.slice(0, body.search(/\r|\n/) === -1 ? body.length : body.search(/\r|\n/));
  const records: { line: number; fields: string[] }[] = [];
  const tokenizer = new CsvTokenizer(detectSeparator(firstLine), (r) => records.push(r));
  tokenizer.push(body);
  tokenizer.end();
  const [head, ...rest] = records;
  if (!head)
    throw invalid(
      "Lot CSV vide : une ligne d'en-tête uai;date;service;profile;measure;value est attendue.",
      "empty_batch",
    );
  const header = usageHeader(head.fields.map((f) => f.trim()));
  const problem = ["uai", "value"].some((k) => !header.columns.has(k))
    ? "colonnes « uai » et « value » attendues"
    : !header.columns.has("measure") && !header.columns.has("service")
      ? "colonne « measure » attendue"
      : (usageProfile.checkHeader?.(header) ?? null);
  if (problem)
    throw invalid(`En-tête du lot CSV refusé (ligne ${head.line}) : ${problem}.`, "invalid_header");
  const rows: BatchRow[] = rest
    .filter((r) => r.fields.some((f) => f.trim() !== ""))
    .map((r) => ({ line: r.line, cells: r.fields }));
  return { batchId, rows, header };
}
