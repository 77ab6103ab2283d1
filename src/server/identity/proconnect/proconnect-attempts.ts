import { createHash } from "node:crypto";
import type { Kysely } from "kysely";
import type { Database } from "../../platform/index.ts";
import type { LoginAttempt } from "./proconnect.ts";

/** How long a person may stay on the provider's pages before the callback is refused. */
export const LOGIN_ATTEMPT_TTL_MS = 10 * 60 * 1000;

function stateHash(state: string): string {
  return createHash("sha256").update(state).digest("hex");
}

/** Keeps a login's secrets until its callback; also sweeps the attempts nobody finished. */
export async function saveLoginAttempt(
  db: Kysely<Database>,
  attempt: LoginAttempt,
  now = new Date(),
): Promise<void> {
  await db.deleteFrom("oidc_login_attempt").where("expires_at", "<", now).execute();
  await db
    .insertInto("oidc_login_attempt")
    .values({
      state_hash: stateHash(attempt.state),
      nonce: attempt.nonce,
      code_verifier: attempt.codeVerifier,
      expires_at: new Date(now.getTime() + LOGIN_ATTEMPT_TTL_MS),
    })
    .execute();
}

/**
 * Takes the attempt of this `state` out of the store: a second callback with the same state finds
 * nothing (single use), and neither does one after expiry.
 */
export async function consumeLoginAttempt(
  db: Kysely<Database>,
  state: string,
  now = new Date(),
): Promise<LoginAttempt | null> {
  const row = await db
    .deleteFrom("oidc_login_attempt")
    .where("state_hash", "=", stateHash(state))
    .returning(["nonce", "code_verifier", "expires_at"])
    .executeTakeFirst();
  if (!row || new Date(row.expires_at).getTime() <= now.getTime()) return null;
  return { state, nonce: row.nonce, codeVerifier: row.code_verifier };
}
