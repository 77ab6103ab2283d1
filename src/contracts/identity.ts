import { z } from "zod";
import { ROLES } from "./permissions.ts";

/**
 * API contracts of the identity module (docs/identity.md), shared by the server (validation,
 * OpenAPI) and the web app (types).
 */

export { ROLES };
export const role = z.enum(ROLES);
export type RoleId = z.infer<typeof role>;

export const roleGrant = z.object({
  role,
  territory: z
    .string()
    .describe("Territoire du rôle : FR, ou niveau:code (academy:04, region:75, school:0331234M…)"),
  territoryLabel: z.string().describe("Le territoire en toutes lettres"),
});
export type RoleGrantDto = z.infer<typeof roleGrant>;

export const sessionUser = z.object({
  id: z.string(),
  email: z.string(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  roles: z.array(roleGrant),
});
export type SessionUser = z.infer<typeof sessionUser>;

export const sessionState = z.object({
  user: sessionUser.nullable(),
  csrfToken: z
    .string()
    .nullable()
    .describe("À renvoyer dans l'en-tête x-csrf-token de chaque requête POST, PUT, PATCH ou DELETE"),
});
export type SessionState = z.infer<typeof sessionState>;

export const loginBody = z.object({
  email: z.string().min(1).max(254).describe("Adresse électronique du compte"),
  password: z.string().min(1).max(256),
});
export type LoginBody = z.infer<typeof loginBody>;

export const loginResponse = z.object({ user: sessionUser, csrfToken: z.string() });
export type LoginResponse = z.infer<typeof loginResponse>;

export const logoutResponse = z.object({
  redirectTo: z.string().describe("Page de déconnexion du fournisseur d'identité (session ProConnect)"),
});

export const setPasswordBody = z.object({
  token: z.string().min(1).max(100).describe("Le jeton du lien reçu (paramètre « jeton »)"),
  password: z.string().min(1).max(256),
});
export type SetPasswordBody = z.infer<typeof setPasswordBody>;

export const passwordPolicyError = z.object({
  error: z.literal("weak_password"),
  message: z.string(),
  problems: z.array(z.string()).describe("Ce qui manque au mot de passe, règle par règle"),
});

export const userSummary = z.object({
  id: z.string(),
  email: z.string(),
  givenName: z.string().nullable(),
  familyName: z.string().nullable(),
  status: z.enum(["invited", "active", "disabled"]),
  lastLoginAt: z.string().nullable(),
  roles: z.array(roleGrant).describe("Les rôles de la personne dans votre périmètre"),
});
export type UserSummary = z.infer<typeof userSummary>;

export const roleChangeBody = z.object({
  role,
  territory: z.string().min(1).max(80),
});
export type RoleChangeBody = z.infer<typeof roleChangeBody>;
