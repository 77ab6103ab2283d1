import type { AuditFilters, AuditPage } from "../../contracts/audit.ts";
import type { LoginResponse, SessionState, UserSummary } from "../../contracts/identity.ts";
import type { AuthProviders, InvitationRequest, InvitationResponse } from "../../contracts/invitations.ts";
import type {
  DeletionRequestResponse,
  MyData,
  PersonalDataRequestDto,
  PersonalDataRequestList,
  PrivacyContacts,
  RetentionSettingsDto,
  RetentionState,
} from "../../contracts/personal-data.ts";
import { request } from "../api.ts";

function json(method: "POST" | "PUT" | "DELETE", body: unknown): RequestInit {
  return { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
}

/** Filters of the audit log as the page keeps them in the URL, plus the page. */
export type AuditSearch = Partial<AuditFilters> & { page?: number; pageSize?: number };

export function auditSearchParams(search: AuditSearch): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  return params;
}

/** Calls of the identity, audit and personal-data APIs. */
export const identityApi = {
  session: () => request<SessionState>("/api/v1/auth/session"),
  providers: () => request<AuthProviders>("/api/v1/auth/providers"),
  login: (email: string, password: string) =>
    request<LoginResponse>("/api/v1/auth/login", json("POST", { email, password })),
  logout: () => request<{ redirectTo?: string } | undefined>("/api/v1/auth/logout", { method: "POST" }),
  setPassword: (token: string, password: string) =>
    request<LoginResponse>("/api/v1/auth/password", json("POST", { token, password })),
  requestPasswordReset: (email: string) =>
    request<{ message: string }>("/api/v1/auth/password/reset-request", json("POST", { email })),
  myData: () => request<MyData>("/api/v1/me/data"),
  requestDeletion: (message: string) =>
    request<DeletionRequestResponse>("/api/v1/me/deletion-request", json("POST", message ? { message } : {})),
  users: () => request<{ items: UserSummary[] }>("/api/v1/users"),
  invite: (invitation: InvitationRequest) =>
    request<InvitationResponse>("/api/v1/users/invitations", json("POST", invitation)),
  auditEvents: (search: AuditSearch) =>
    request<AuditPage>(`/api/v1/audit-events?${auditSearchParams(search).toString()}`),
  retention: () => request<RetentionState>("/api/v1/settings/retention"),
  privacyContacts: () => request<PrivacyContacts>("/api/v1/privacy/contacts"),
  saveRetention: (settings: RetentionSettingsDto) =>
    request<RetentionState>("/api/v1/settings/retention", json("PUT", settings)),
  personalDataRequests: (status: "open" | "closed" | "all") =>
    request<PersonalDataRequestList>(`/api/v1/personal-data-requests?status=${status}`),
  closePersonalDataRequest: (id: string, decision: "done" | "refused", reason?: string) =>
    request<PersonalDataRequestDto>(
      `/api/v1/personal-data-requests/${encodeURIComponent(id)}/close`,
      json("POST", reason ? { decision, reason } : { decision }),
    ),
};

const personalDataRequests = ["personal-data-requests"] as const;

/**
 * The TanStack Query keys of this client, built here only. A key used as a prefix (`users`,
 * `personalDataRequests`) refreshes every query under it when invalidated.
 */
export const identityKeys = {
  /** Also read by query-client.ts, which never refetches the session on its own 401. */
  session: ["session"] as const,
  providers: ["auth-providers"] as const,
  myData: ["me", "data"] as const,
  users: ["users"] as const,
  auditEvents: (search: AuditSearch, page: number | undefined) => ["audit-events", search, page] as const,
  personalDataRequests,
  personalDataRequestsWith: (status: "open" | "closed" | "all") => [...personalDataRequests, status] as const,
  retention: ["settings", "retention"] as const,
  privacyContacts: ["privacy-contacts"] as const,
};

/** Where the CSV export of the audit log is downloaded, with the filters shown. */
export function auditCsvUrl(search: AuditSearch): string {
  const { page: _page, pageSize: _pageSize, ...filters } = search;
  const params = auditSearchParams(filters).toString();
  return `/api/v1/audit-events.csv${params ? `?${params}` : ""}`;
}
