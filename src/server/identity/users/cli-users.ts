import type { Kysely } from "kysely";
import { type Actor, CLI_ACTOR, type Database } from "../../platform/index.ts";
import { formatScope, isRole, parseScope, ROLE_LABELS, ROLES, type RoleGrant } from "../permissions.ts";
import { checkPasswordPolicy, hashPassword } from "../sessions/passwords.ts";
import { issueToken, TOKEN_LIFETIME_MS } from "../tokens.ts";
import { ACTIVATION_PATH, tokenLink } from "./invitation-mails.ts";
import { scopeExists } from "./scope-store.ts";
import {
  createUser,
  disableUser,
  findUserByEmail,
  grantRole,
  IdentityError,
  inTransaction,
  listUsers,
  revokeRole,
  type UserRecord,
} from "./users.ts";

/**
 * What the `vigie user …` commands do, apart from reading options and printing: French errors
 * as IdentityError, every write audited with the CLI as its source.
 */

type Db = Kysely<Database>;

/** Role and territory from the command line, checked against the referential and the database. */
export async function grantFromOptions(db: Db, roleText: string, territory: string): Promise<RoleGrant> {
  if (!isRole(roleText)) {
    throw new IdentityError(
      "invalid_role",
      `Rôle « ${roleText} » inconnu : rôles possibles ${ROLES.join(", ")}`,
    );
  }
  const parsed = parseScope(roleText, territory);
  if (!parsed.ok) throw new IdentityError("unknown_territory", parsed.error);
  if (!(await scopeExists(db, parsed.scope))) {
    throw new IdentityError(
      "unknown_territory",
      `Territoire inconnu dans la base : ${formatScope(parsed.scope)}`,
    );
  }
  return { role: roleText, scope: parsed.scope };
}

export interface CreatedUser {
  id: string;
  email: string;
  status: "invited" | "active";
  role: string;
  territory: string;
  /** Without a password: the one-time link to choose one. */
  activationLink: string | null;
  activationExpiresAt: string | null;
}

export async function createUserFromCli(
  db: Db,
  options: {
    email: string;
    role: string;
    territory: string;
    password?: string | undefined;
    givenName?: string | undefined;
    familyName?: string | undefined;
    publicUrl: string;
  },
  actor: Actor = CLI_ACTOR,
): Promise<CreatedUser> {
  const grant = await grantFromOptions(db, options.role, options.territory);
  let passwordHash: string | null = null;
  if (options.password !== undefined) {
    const policy = checkPasswordPolicy(options.password, options.email.trim().toLowerCase());
    if (!policy.ok) throw new IdentityError("weak_password", policy.message);
    passwordHash = await hashPassword(options.password);
  }
  return inTransaction(db, async (trx) => {
    let user: UserRecord;
    try {
      user = await createUser(
        trx,
        {
          email: options.email,
          givenName: options.givenName ?? null,
          familyName: options.familyName ?? null,
          status: passwordHash ? "active" : "invited",
          passwordHash,
        },
        actor,
      );
    } catch (err) {
      if (err instanceof IdentityError && err.code === "user_exists") {
        throw new IdentityError(
          "user_exists",
          `${err.message} : pour lui donner un rôle, utilisez « vigie user grant »`,
        );
      }
      throw err;
    }
    await grantRole(trx, user.id, grant, actor);
    const activation = passwordHash
      ? null
      : await issueToken(trx, user.id, "invitation", TOKEN_LIFETIME_MS.invitation);
    return {
      id: user.id,
      email: user.email,
      status: passwordHash ? "active" : "invited",
      role: grant.role,
      territory: formatScope(grant.scope),
      activationLink: activation ? tokenLink(options.publicUrl, ACTIVATION_PATH, activation.token) : null,
      activationExpiresAt: activation?.expiresAt.toISOString() ?? null,
    };
  });
}

async function existingUser(db: Db, email: string): Promise<UserRecord> {
  const user = await findUserByEmail(db, email);
  if (!user) throw new IdentityError("unknown_user", `Aucun compte pour ${email.trim().toLowerCase()}`);
  return user;
}

export async function changeRoleFromCli(
  db: Db,
  change: "grant" | "revoke",
  options: { email: string; role: string; territory: string },
  actor: Actor = CLI_ACTOR,
): Promise<{ email: string; role: string; territory: string; changed: boolean }> {
  const user = await existingUser(db, options.email);
  const grant = await grantFromOptions(db, options.role, options.territory);
  const changed =
    change === "grant"
      ? await grantRole(db, user.id, grant, actor)
      : await revokeRole(db, user.id, grant, actor);
  return { email: user.email, role: grant.role, territory: formatScope(grant.scope), changed };
}

export async function disableUserFromCli(db: Db, email: string, actor: Actor = CLI_ACTOR) {
  const user = await existingUser(db, email);
  return { email: user.email, changed: await disableUser(db, user.id, actor) };
}

export interface ListedUser {
  id: string;
  email: string;
  givenName: string | null;
  familyName: string | null;
  status: string;
  lastLoginAt: string | null;
  roles: { role: string; territory: string }[];
}

export async function listUsersForCli(db: Db): Promise<ListedUser[]> {
  return (await listUsers(db)).map((u) => ({
    id: u.id,
    email: u.email,
    givenName: u.givenName,
    familyName: u.familyName,
    status: u.status,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    roles: u.roles.map((g) => ({ role: g.role, territory: formatScope(g.scope) })),
  }));
}

const STATUS_LABELS: Record<string, string> = { invited: "invité", active: "actif", disabled: "désactivé" };

/** The list as text: one account per line, its roles after it. */
export function formatUserList(users: readonly ListedUser[]): string {
  if (users.length === 0) return "Aucun compte.";
  return users
    .map((u) => {
      const roles = u.roles.map((r) => `${r.role} sur ${r.territory}`).join(", ") || "aucun rôle";
      return `${u.email} (${STATUS_LABELS[u.status] ?? u.status}) — ${roles}`;
    })
    .join("\n");
}

export function formatCreatedUser(created: CreatedUser): string {
  const role = `${ROLE_LABELS[created.role as keyof typeof ROLE_LABELS] ?? created.role} (${created.role}) sur ${created.territory}`;
  if (!created.activationLink) return `Compte créé et actif : ${created.email}, ${role}.`;
  return [
    `Compte créé : ${created.email}, ${role}.`,
    "Transmettez ce lien à la personne pour qu'elle choisisse son mot de passe (valable 7 jours, une seule fois) :",
    created.activationLink,
  ].join("\n");
}
