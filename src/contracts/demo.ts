import type { TerritoryRef } from "./territories.ts";

/**
 * The demo's territory: the région académique whose schools and values the demo generates (the
 * default `region` scale, and `tiny` within it) and whose roadmap it publishes. The home page
 * shows its key figures. Zod-free, shared by the server and the web app.
 */
export const DEMO_TERRITORY = {
  level: "academicRegion",
  code: "75",
  name: "Nouvelle-Aquitaine",
} as const satisfies TerritoryRef;
