import type { Kysely } from "kysely";
import { readRawSeries } from "../indicators/index.ts";
import type { Database } from "../platform/index.ts";
import type { SeriesPoint, SeriesRequest } from "./evaluation.ts";

/**
 * The roadmaps' only door into the indicators module: `readRawSeries` of
 * src/server/indicators/values.ts (values of an indicator for one node, oldest period first,
 * whatever their confidentiality status: used for statuses and checkpoints, never shown as such).
 */

/** The series of each request, keyed by `request.key` (requests sharing a key are read once). */
export async function readSeries(
  db: Kysely<Database>,
  requests: readonly SeriesRequest[],
): Promise<Map<string, SeriesPoint[]>> {
  const out = new Map<string, SeriesPoint[]>();
  for (const request of requests) {
    if (out.has(request.key)) continue;
    out.set(
      request.key,
      await readRawSeries(db, request.indicatorCode, request.node, {
        ...(request.disaggregation ? { disaggregation: request.disaggregation } : {}),
      }),
    );
  }
  return out;
}
