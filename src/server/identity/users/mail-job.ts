import type { Kysely } from "kysely";
import type {
  Config,
  Database,
  JobRunner,
  MailDelivery,
  Mailer,
  MailLogger,
  MailMessage,
} from "../../platform/index.ts";
import { ROLE_LABELS, type RoleGrant } from "../permissions.ts";
import { issueToken, TOKEN_LIFETIME_MS } from "../tokens.ts";
import {
  ACTIVATION_PATH,
  invitationMail,
  passwordResetMail,
  RESET_PATH,
  roleGrantedMail,
  tokenLink,
} from "./invitation-mails.ts";
import { describeScope } from "./scope-store.ts";
import { findUserById } from "./users.ts";

/**
 * The e-mails of identity (invitation, new role, password reset) are sent by an `identity.mail`
 * job: an SMTP server that is down gets the message later, with back-off, instead of a lost mail.
 * The job's payload names the person by id only; the one-time token is issued when the mail is
 * composed, so no usable link is ever stored in the job table (a retry issues a fresh one and the
 * previous, undelivered link stops working).
 */
export const MAIL_JOB = "identity.mail";

export type MailRequest =
  | { kind: "invitation"; userId: string; grant: RoleGrant; invitedBy: string }
  | { kind: "password_reset"; userId: string };

/** What became of a mail request: the mailer's answer, `queued` (the job will send it), `skipped`. */
export type MailOutcome = MailDelivery | "queued" | "skipped";

/** How a request reaches its mail: at once (tests, tools) or through the job runner (the server). */
export type MailDispatch = (
  request: MailRequest,
  requester: { userId: string | null },
) => Promise<MailOutcome>;

export interface MailContext {
  config: Pick<Config, "publicUrl">;
  mailer: Mailer;
  log: MailLogger;
}

/** Sends the mail in this process and returns the mailer's answer. */
export function directDispatch(db: Kysely<Database>, context: MailContext): MailDispatch {
  return (request) => deliverMail(db, request, context);
}

/**
 * The mail of a request as the person should receive it now, or null when there is nothing to
 * send any more (account gone, disabled, or no longer in the state the request was made for).
 */
async function composeFor(
  db: Kysely<Database>,
  request: MailRequest,
  publicUrl: string,
): Promise<MailMessage | null> {
  const user = await findUserById(db, request.userId);
  if (!user) return null;
  if (request.kind === "password_reset") {
    if (user.status !== "active") return null;
    const { token } = await issueToken(db, user.id, "password_reset");
    return passwordResetMail({
      to: user.email,
      link: tokenLink(publicUrl, RESET_PATH, token),
      validMinutes: Math.round(TOKEN_LIFETIME_MS.password_reset / 60_000),
    });
  }
  if (user.status === "disabled") return null;
  const common = {
    to: user.email,
    roleLabel: ROLE_LABELS[request.grant.role],
    territoryLabel: await describeScope(db, request.grant.scope),
    invitedBy: request.invitedBy,
  };
  if (user.status === "active") return roleGrantedMail({ ...common, loginUrl: `${publicUrl}/connexion` });
  const { token } = await issueToken(db, user.id, "invitation");
  return invitationMail({
    ...common,
    link: tokenLink(publicUrl, ACTIVATION_PATH, token),
    validDays: Math.round(TOKEN_LIFETIME_MS.invitation / 86_400_000),
  });
}

/** Composes and sends one mail. */
export async function deliverMail(
  db: Kysely<Database>,
  request: MailRequest,
  context: MailContext,
): Promise<MailDelivery | "skipped"> {
  const message = await composeFor(db, request, context.config.publicUrl);
  if (!message) return "skipped";
  return context.mailer.send(message, context.log);
}

export interface MailJobOptions {
  /** Sends before the mail is given up (default 5: about 8 minutes with the default back-off). */
  maxAttempts?: number;
  /** First wait after a refused send, doubled each time (default 30 s). */
  backoffMs?: number;
}

/** Declares the `identity.mail` job type, in its own lane: a long import never delays a mail. */
export function registerMailJob(
  jobs: JobRunner,
  db: Kysely<Database>,
  context: MailContext,
  options: MailJobOptions = {},
): void {
  jobs.register<MailRequest, { delivery: MailDelivery | "skipped" }>(
    MAIL_JOB,
    async ({ payload }) => {
      const delivery = await deliverMail(db, payload, context);
      // Thrown, so that the runner retries with back-off (the mailer has logged the reason).
      if (delivery === "failed")
        throw new Error("Le serveur de messagerie n'a pas accepté le courriel : nouvel essai plus tard.");
      return { delivery };
    },
    { maxAttempts: options.maxAttempts ?? 5, backoffMs: options.backoffMs ?? 30_000, lane: "mail" },
  );
}

/**
 * Sends through the job runner and waits up to `waitMs` for the first try, so that the person who
 * invites is told at once whether the mail left; after that it is `queued` (retried in the
 * background) or `failed` (every try refused).
 */
export function jobDispatch(jobs: JobRunner, waitMs: number): MailDispatch {
  return async (request, requester) => {
    const id = await jobs.enqueue(MAIL_JOB, request, { scope: { userId: requester.userId } });
    return waitMs > 0 ? firstOutcome(jobs, id, waitMs) : "queued";
  };
}

async function firstOutcome(jobs: JobRunner, id: string, waitMs: number): Promise<MailOutcome> {
  const deadline = Date.now() + waitMs;
  while (Date.now() < deadline) {
    const job = await jobs.get(id);
    if (job?.state === "done") return (job.result as { delivery: MailDelivery | "skipped" }).delivery;
    if (job?.state === "failed" || job?.state === "cancelled") return "failed";
    // A first try refused: the retry is on its way, say so instead of holding the request.
    if (job?.error) return "queued";
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return "queued";
}
