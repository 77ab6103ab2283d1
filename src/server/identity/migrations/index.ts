import type { Migrations } from "../../platform/index.ts";
import * as identity from "./0003-identity.ts";
import * as proconnectLogin from "./0004-proconnect-login.ts";

/**
 * The identity tables (schema.ts). 0003 also created platform's `audit_event` and `app_setting`
 * (released before modules owned their schema; a released migration is never edited).
 */
export const migrations: Migrations = {
  "0003-identity": identity,
  "0004-proconnect-login": proconnectLogin,
};
