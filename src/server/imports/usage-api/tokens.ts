import { type Kysely, sql } from "kysely";
import type { UsageToken, UsageTokenCreated } from "../../../contracts/usage.ts";
import {
  formatScope,
  hashToken,
  newSecret,
  parseScope,
  type SchoolPlace,
  type Scope,
  scopeContainsSchool,
} from "../../identity/index.ts";
import { type Actor, type Database, invalid, notFound, recordAudit } from "../../platform/index.ts";
import { findDistricts, findSchoolIds } from "../../territories/index.ts";

/**
 * Provider tokens of the usage API: created by a national administrator for one provider (an
 * ENT, a resource provider), scoped to territories, revocable. The token is shown once; only its
 * SHA-256 is stored (identity's `hashToken`, the same as for link tokens), so a copy of the
 * database sends nothing in a provider's name.
 */

type Db = Kysely<Database>;

/** A provider's token starts with this, so that it is recognisable in a leaked file or a log. */
const PREFIX = "vigie_usage_";

/** The provider a valid token stands for, and where it may send figures. */
export interface TokenHolder {
  readonly tokenId: string;
  readonly provider: string;
  readonly scopes: readonly Scope[];
}

/** Reads the territories of a token (`FR`, `academy:04`, `33`, a UAI…), each checked, as a role's. */
async function readTerritories(db: Db, texts: readonly string[]): Promise<Scope[]> {
  const scopes: Scope[] = [];
  const problems: string[] = [];
  for (const text of texts) {
    const parsed = parseScope("reader", text);
    if (!parsed.ok) problems.push(`${text} : ${parsed.error}`);
    else scopes.push(parsed.scope);
  }
  const schools = scopes.filter((s) => s.kind === "territory" && s.level === "school").map((s) => s.code);
  const known = await findSchoolIds(db, schools);
  for (const uai of schools) if (!known.has(uai)) problems.push(`${uai} : établissement inconnu`);
  const districts = scopes.filter((s) => s.kind === "territory" && s.level === "district").map((s) => s.code);
  const found = new Set((await findDistricts(db, districts)).map((d) => d.code));
  for (const code of districts) if (!found.has(code)) problems.push(`${code} : district inconnu`);
  if (problems.length > 0)
    throw invalid(`Territoire refusé : ${problems.join(" ; ")}`, "invalid_territory", problems);
  return scopes;
}

function toToken(row: {
  id: string;
  provider: string;
  territories: string[];
  created_by: string;
  created_at: Date;
  revoked_at: Date | null;
  last_used_at: Date | null;
}): UsageToken {
  return {
    id: String(row.id),
    provider: row.provider,
    territories: row.territories,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    revokedAt: row.revoked_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}

const COLUMNS = [
  "id",
  "provider",
  "territories",
  "created_by",
  "created_at",
  "revoked_at",
  "last_used_at",
] as const;

export async function createUsageToken(
  db: Db,
  input: { provider: string; territories: readonly string[] },
  actor: Actor,
): Promise<UsageTokenCreated> {
  const provider = input.provider.trim();
  if (provider === "") throw invalid("Nom du fournisseur manquant.", "invalid_provider");
  const scopes = await readTerritories(db, input.territories);
  const token = `${PREFIX}${newSecret()}`;
  const row = await db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto("usage_token")
      .values({
        provider,
        token_hash: hashToken(token),
        territories: [...new Set(scopes.map(formatScope))],
        created_by: actor.label,
      })
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await recordAudit(trx, actor, {
      action: "usage_token.create",
      entityType: "usage_token",
      entityId: String(inserted.id),
      summary: { provider, territories: inserted.territories },
    });
    return inserted;
  });
  return { ...toToken(row), token };
}

export async function listUsageTokens(db: Db): Promise<UsageToken[]> {
  const rows = await db.selectFrom("usage_token").select(COLUMNS).orderBy("id").execute();
  return rows.map(toToken);
}

export async function revokeUsageToken(db: Db, id: string, actor: Actor): Promise<UsageToken> {
  if (!/^\d{1,18}$/.test(id)) throw notFound(`Jeton ${id} introuvable.`);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable("usage_token")
      .set({ revoked_at: sql<Date>`coalesce(revoked_at, now())` })
      .where("id", "=", id)
      .returning(COLUMNS)
      .executeTakeFirst();
    if (!row) throw notFound(`Jeton ${id} introuvable.`);
    await recordAudit(trx, actor, {
      action: "usage_token.revoke",
      entityType: "usage_token",
      entityId: id,
      summary: { provider: row.provider },
    });
    return toToken(row);
  });
}

/** The holder of a presented token, or null (unknown, malformed or revoked). */
export async function authenticateUsageToken(db: Db, token: string): Promise<TokenHolder | null> {
  if (!token.startsWith(PREFIX) || token.length > 200) return null;
  const row = await db
    .updateTable("usage_token")
    .set({ last_used_at: sql<Date>`now()` })
    .where("token_hash", "=", hashToken(token))
    .where("revoked_at", "is", null)
    .returning(["id", "provider", "territories"])
    .executeTakeFirst();
  if (!row) return null;
  const scopes = row.territories.flatMap((t) => {
    const parsed = parseScope("reader", t);
    return parsed.ok ? [parsed.scope] : [];
  });
  return { tokenId: String(row.id), provider: row.provider, scopes };
}

/** Is a school inside one of the token's territories? */
export function holderCovers(holder: TokenHolder, place: SchoolPlace): boolean {
  return holder.scopes.some((s) => scopeContainsSchool(s, place));
}

/** The token's territories, for a refusal (« académie 04, département 33 »). */
export function holderTerritories(holder: TokenHolder): string {
  return holder.scopes.map(formatScope).join(", ");
}
