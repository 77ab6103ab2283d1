import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";

/**
 * The PostgreSQL extensions the embedded database must load when it opens: PGlite only offers
 * an extension to `CREATE EXTENSION` when its code is passed at construction (a server finds
 * them on disk). pg_trgm backed the school search by name fragment (migration 0008); its indexes
 * are gone since migration 0025, but a base created before holds the extension, which must stay
 * loadable (and migrations 0008 and 0009 still create the indexes before 0025 drops them).
 */
export const pgliteExtensions = { pg_trgm };
