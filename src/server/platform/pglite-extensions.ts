import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * The PostgreSQL extensions the embedded database must load when it opens: PGlite only offers
 * an extension to `CREATE EXTENSION` when its code is passed at construction (a server finds
 * them on disk). pg_trgm backs the school search by name fragment (migration 0008).
 */
export const pgliteExtensions = { pg_trgm };
