import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import type { Config, Database } from "../../platform/index.ts";
import { auditRoutes } from "../audit/audit-routes.ts";
import { personalDataRoutes } from "./personal-data-routes.ts";
import { retentionRoutes } from "./retention-routes.ts";

/**
 * Accountability and personal data on the HTTP app: the audit log's search and export, « Mes
 * données » and deletion requests, retention settings. Registered after the identity plugin,
 * whose session and access rules they rely on.
 */
export function registerPrivacyRoutes(
  app: FastifyInstance,
  db: Kysely<Database>,
  config: Pick<Config, "privacyContacts">,
): void {
  auditRoutes(app, db);
  personalDataRoutes(app, db, config);
  retentionRoutes(app, db);
}
