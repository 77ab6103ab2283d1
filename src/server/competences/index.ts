import type { FastifyInstance } from "fastify";
import type { Migrations } from "../platform/index.ts";
import { type CompetencesDeps, registerCompetencesRoutes } from "./routes.ts";

/**
 * Door of the competences module (docs/competences.md): the digital-competences dashboards
 * (CRCN: 5 areas, 16 competences, 8 levels) of a territory or a school, built from the Pix
 * figures the imports write into the observatory.
 */

export { competencesDashboard, previousSchoolYears } from "./dashboard.ts";
export type { CompetencesDeps } from "./routes.ts";

export function register(app: FastifyInstance, deps: CompetencesDeps): void {
  registerCompetencesRoutes(app, deps);
}

/** No table of its own: every figure is an observatory cell. */
export const migrations: Migrations = {};
