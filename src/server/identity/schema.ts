import type { Generated } from "kysely";

/**
 * The identity tables (migrations 0003, 0004), added to platform's `Database` by declaration
 * merging (see territories/schema.ts). `audit_event` and `app_setting`, also created by 0003,
 * are platform's (platform/schema.ts).
 */
declare module "../platform/index.ts" {
  interface Database {
    app_user: AppUserTable;
    role_assignment: RoleAssignmentTable;
    user_session: UserSessionTable;
    auth_token: AuthTokenTable;
    personal_data_request: PersonalDataRequestTable;
    oidc_login_attempt: OidcLoginAttemptTable;
  }
}

export interface AppUserTable {
  id: Generated<string>;
  email: string;
  given_name: string | null;
  family_name: string | null;
  password_hash: string | null;
  status: Generated<"invited" | "active" | "disabled">;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  oidc_subject: string | null;
  oidc_idp_id: string | null;
  siret: string | null;
  created_at: Generated<Date>;
  last_login_at: Date | null;
}

export interface RoleAssignmentTable {
  id: Generated<string>;
  user_id: string;
  role: string;
  territory_level: string;
  territory_code: string;
  created_at: Generated<Date>;
  created_by: string | null;
}

export interface UserSessionTable {
  /** SHA-256 of the session token: a stolen database copy does not yield usable cookies. */
  id_hash: string;
  user_id: string;
  csrf_token: string;
  auth_method: "password" | "proconnect";
  id_token: string | null;
  created_at: Generated<Date>;
  last_seen_at: Generated<Date>;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface AuthTokenTable {
  token_hash: string;
  user_id: string;
  purpose: "invitation" | "password_reset" | "first_admin";
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
}

export interface PersonalDataRequestTable {
  id: Generated<string>;
  user_id: string | null;
  email: string;
  kind: "deletion";
  status: Generated<"open" | "done" | "refused">;
  message: string | null;
  created_at: Generated<Date>;
  handled_at: Date | null;
}

export interface OidcLoginAttemptTable {
  /** SHA-256 of the OAuth `state`: the value itself only travels in the URL and a cookie. */
  state_hash: string;
  nonce: string;
  code_verifier: string | null;
  created_at: Generated<Date>;
  expires_at: Date;
}
