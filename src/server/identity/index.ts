import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import type { Config, Database, JobRunner, Mailer } from "../platform/index.ts";
import { registerPrivacyRoutes } from "./personal-data/privacy.ts";
import { registerIdentity } from "./plugin.ts";
import { proconnectRoutes } from "./proconnect/proconnect-routes.ts";
import { invitationRoutes } from "./users/invitations-routes.ts";
import { registerMailJob } from "./users/mail-job.ts";

/**
 * Door of the identity module: accounts, roles scoped to a territory, sessions, ProConnect, the
 * audit log pages and the personal data rights. Other modules, app.ts and the CLI import identity
 * through this file only (docs/architecture.md).
 */

export { installRouteGuard, requirePermission } from "./access.ts";
export { registerIdentityCommands } from "./commands.ts";
export { annuaireImportAccess, importAcceptFor, importAuditTerritory } from "./import-scope.ts";
export {
  type Access,
  can,
  formatScope,
  PERMISSION_ROLES,
  PERMISSIONS,
  type Permission,
  type PermissionTarget,
  type Principal,
  parseScope,
  ROLE_LABELS,
  ROLE_RANK,
  ROLES,
  type Role,
  type RoleGrant,
  type SchoolPlace,
  type Scope,
  scopeContainsPath,
  scopeContainsSchool,
  scopesWith,
  type TerritoryIndex,
  type TerritoryNode,
  type TerritoryPath,
} from "./permissions.ts";
export {
  formatPurgeReport,
  type PurgeReport,
  purgeExpiredData,
  type RetentionSettings,
  schedulePurge,
} from "./personal-data/retention.ts";
export { requestActor } from "./sessions/session-user.ts";
/** Secrets given to machines (the usage API's provider tokens): made and hashed as the link tokens are. */
export { hashToken, newSecret } from "./tokens.ts";
export { ensureFirstAdmin, firstAdminMessage } from "./users/bootstrap.ts";
export {
  changeRoleFromCli,
  createUserFromCli,
  disableUserFromCli,
  formatCreatedUser,
  formatUserList,
  listUsersForCli,
} from "./users/cli-users.ts";
export { respondentEmails, type SchoolContact } from "./users/respondents.ts";
export { loadTerritoryIndex } from "./users/scope-store.ts";
export { IdentityError } from "./users/users.ts";

export interface IdentityDeps {
  db: Kysely<Database>;
  config: Config;
  mailer: Mailer;
  /** Identity's mails are `identity.mail` jobs on this runner (registered here). */
  jobs: JobRunner;
}

/**
 * Sessions, CSRF and access rules (they apply to every route declared after this call), then the
 * identity routes: login, invitations, ProConnect, audit log, personal data, retention.
 */
export async function register(app: FastifyInstance, deps: IdentityDeps): Promise<void> {
  await registerIdentity(app, deps.db, deps.config);
  registerMailJob(deps.jobs, deps.db, { config: deps.config, mailer: deps.mailer, log: app.log });
  invitationRoutes(app, deps.db, { jobs: deps.jobs });
  proconnectRoutes(app, deps.db, deps.config);
  registerPrivacyRoutes(app, deps.db, deps.config);
}

export { migrations } from "./migrations/index.ts";
/** Its tables (schema.ts, merged into platform's `Database`) and the migrations that create them. */
export type * from "./schema.ts";
