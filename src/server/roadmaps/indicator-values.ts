import type { Kysely } from "kysely";
import type { Database } from "../platform/schema.ts";
import type { SeriesPoint, SeriesRequest } from "./evaluation.ts";

/**
 * The roadmaps' only door into the indicators module: `readRawSeries` of
 * src/server/indicators/values.ts (values of an indicator for one node, oldest period first).
 * Loaded lazily so that the roadmaps module works (every objective « sans donnée ») on a build
 * where the indicator engine is absent.
 */

type ReadRawSeries = (
  db: Kysely<Database>,
  indicatorCode: string,
  node: { level: string; code: string },
  options?: { group?: string; disaggregation?: string },
) => Promise<SeriesPoint[]>;

let loaded: Promise<ReadRawSeries | null> | undefined;

async function engine(): Promise<ReadRawSeries | null> {
  loaded ??= (async () => {
    const modulePath = "../indicators/values.ts";
    try {
      const mod = (await import(/* @vite-ignore */ modulePath)) as { readRawSeries?: ReadRawSeries };
      return typeof mod.readRawSeries === "function" ? mod.readRawSeries : null;
    } catch {
      return null;
    }
  })();
  return loaded;
}

/** The series of each request, keyed by `request.key` (requests sharing a key are read once). */
export async function readSeries(
  db: Kysely<Database>,
  requests: readonly SeriesRequest[],
): Promise<Map<string, SeriesPoint[]>> {
  const read = await engine();
  const out = new Map<string, SeriesPoint[]>();
  if (!read) return out;
  for (const request of requests) {
    if (out.has(request.key)) continue;
    try {
      out.set(
        request.key,
        await read(db, request.indicatorCode, request.node, {
          ...(request.disaggregation ? { disaggregation: request.disaggregation } : {}),
        }),
      );
    } catch (err) {
      // An indicator the engine does not know (yet) has no value: « sans donnée ».
      if ((err as Error).name === "TypeError") throw err;
      out.set(request.key, []);
    }
  }
  return out;
}
