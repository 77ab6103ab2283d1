import type { Kysely } from "kysely";
import { type Actor, AppError, type Database, recordAudit } from "../../platform/index.ts";
import { formatScope, type RoleGrant, scopeNode } from "../permissions.ts";
import type { MailDispatch, MailOutcome } from "./mail-job.ts";
import { territoryPath } from "./scope-store.ts";
import { createUser, findUserByEmail, grantRole, inTransaction, type UserRecord } from "./users.ts";

/**
 * Invitations and password-reset requests: the two ways a link with a one-time token reaches a
 * person by e-mail. Choosing the password from the link is `POST /api/v1/auth/password`. The mail
 * itself goes through a `MailDispatch` (mail-job.ts): the server sends it as a job.
 */

export interface InvitationResult {
  user: UserRecord;
  /** A new account was created (otherwise an invited or active one was reused). */
  created: boolean;
  /** The role was new for this account. */
  roleGranted: boolean;
  delivery: MailOutcome;
}

/** Thrown for an invitation that must not go out: a 409 with its code and message. */
export class InvitationError extends AppError {
  declare readonly code: "account_disabled";

  constructor(code: "account_disabled", message: string) {
    super(409, code, message);
    this.name = "InvitationError";
  }
}

/**
 * Invites a person to a role on a scope (the caller has checked `users.manage` on it): creates the
 * account as `invited` when the address is new, grants the role, and e-mails either an activation
 * link (account not yet active: a fresh 7-day token, earlier ones revoked) or a notice of the new
 * role (active account). A disabled account is refused: reactivating it is a separate decision.
 */
export async function inviteUser(
  db: Kysely<Database>,
  input: { email: string; grant: RoleGrant },
  context: { actor: Actor; send: MailDispatch },
): Promise<InvitationResult> {
  const { actor } = context;
  const { grant } = input;
  const path = await territoryPath(db, scopeNode(grant.scope));
  const territory = {
    level: grant.scope.level,
    code: grant.scope.code,
    academyCode: path?.academy ?? null,
  };
  const prepared = await inTransaction(db, async (trx) => {
    const existing = await findUserByEmail(trx, input.email);
    if (existing?.status === "disabled") {
      throw new InvitationError(
        "account_disabled",
        `Le compte ${existing.email} est désactivé : réactivez-le avant de lui attribuer un rôle.`,
      );
    }
    const user = existing ?? (await createUser(trx, { email: input.email, status: "invited" }, actor));
    const roleGranted = await grantRole(trx, user.id, grant, actor);
    // The activation link itself is issued when the mail is composed (mail-job.ts).
    const withLink = user.status === "invited";
    await recordAudit(trx, actor, {
      action: "user.invite",
      entityType: "user",
      entityId: user.id,
      territory,
      summary: {
        email: user.email,
        role: grant.role,
        territory: formatScope(grant.scope),
        compte: existing ? "existant" : "créé",
        lien: withLink ? "lien d'activation envoyé (7 jours)" : "aucun (compte déjà actif)",
      },
    });
    return { user, created: !existing, roleGranted };
  });

  const delivery = await context.send(
    { kind: "invitation", userId: prepared.user.id, grant, invitedBy: actor.label },
    actor,
  );
  return { user: prepared.user, created: prepared.created, roleGranted: prepared.roleGranted, delivery };
}

/**
 * Handles a password-reset request for an address. Only an existing, active account gets a mail
 * with a token (1 hour, earlier ones revoked, issued when the mail is composed); for any other address nothing happens and nothing is
 * said, so that the answer does not reveal which addresses have an account.
 */
export async function requestPasswordReset(
  db: Kysely<Database>,
  email: string,
  context: { actor: Actor; send: MailDispatch },
): Promise<MailOutcome | "no_account"> {
  const { actor } = context;
  const user = await findUserByEmail(db, email);
  if (user?.status !== "active") return "no_account";
  await recordAudit(
    db,
    { ...actor, userId: user.id, label: user.email },
    {
      action: "auth.password_reset_request",
      entityType: "user",
      entityId: user.id,
      summary: { email: user.email, lien: "lien de réinitialisation envoyé (1 heure)" },
    },
  );
  return context.send({ kind: "password_reset", userId: user.id }, { userId: user.id });
}
