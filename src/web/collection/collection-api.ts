import type {
  CampaignInput,
  CampaignStatus,
  CampaignSummary,
  ResponseView,
  SaveResponseBody,
  SaveResponseResult,
  TemplateSummary,
} from "../../contracts/collection.ts";
import type {
  ApprovalOverview,
  LockExceptionResult,
  NodeApprovalBody,
  NodeApprovalResult,
  ResponseActionName,
  ResponseApprovalResult,
} from "../../contracts/collection-approval.ts";
import type { OutlierList, ReminderHistory } from "../../contracts/collection-reminders.ts";
import { request } from "../api.ts";

function json(method: "POST" | "PUT", body: unknown): RequestInit {
  return { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
}

const base = "/api/v1/collection";
const campaign = (id: string) => `${base}/campaigns/${encodeURIComponent(id)}`;
const response = (id: string, uai: string) => `${campaign(id)}/responses/${encodeURIComponent(uai)}`;
const territoryQuery = (territory: string | undefined) =>
  territory ? `?territory=${encodeURIComponent(territory)}` : "";

/** What a submission answers: the save's result, and whether the values reached the observatory. */
export type SubmitResponseResult = SaveResponseResult & { valuesWritten: number; fed: boolean };

/** Calls of the collection API (docs/collection.md), shared by the campaign pages and the filling-in page. */
export const collectionApi = {
  templates: () => request<{ items: TemplateSummary[] }>(`${base}/templates`),
  campaigns: () => request<{ items: CampaignSummary[] }>(`${base}/campaigns`),
  createCampaign: (body: CampaignInput) => request<CampaignSummary>(`${base}/campaigns`, json("POST", body)),
  status: (id: string, territory?: string) =>
    request<CampaignStatus>(`${campaign(id)}/status${territoryQuery(territory)}`),
  statusCsvUrl: (id: string, territory?: string) => `${campaign(id)}/status.csv${territoryQuery(territory)}`,
  response: (id: string, uai: string) => request<ResponseView>(response(id, uai)),
  saveResponse: (id: string, uai: string, body: SaveResponseBody) =>
    request<SaveResponseResult>(response(id, uai), json("PUT", body)),
  submitResponse: (id: string, uai: string, body: SaveResponseBody) =>
    request<SubmitResponseResult>(`${response(id, uai)}/submit`, json("POST", body)),
  approvals: (id: string, territory?: string) =>
    request<ApprovalOverview>(`${campaign(id)}/approvals${territoryQuery(territory)}`),
  /** Approve, unapprove or return (the comment is required to return) a school's response. */
  stepResponse: (id: string, uai: string, action: ResponseActionName, comment?: string) =>
    request<ResponseApprovalResult>(
      `${response(id, uai)}/${action}`,
      json("POST", comment ? { comment } : {}),
    ),
  stepNode: (id: string, body: NodeApprovalBody) =>
    request<NodeApprovalResult>(`${campaign(id)}/approvals`, json("POST", body)),
  lockException: (id: string, uai: string, until: string | null) =>
    request<LockExceptionResult>(`${response(id, uai)}/lock-exception`, json("POST", { until })),
  outliers: (id: string, territory?: string) =>
    request<OutlierList>(`${campaign(id)}/outliers${territoryQuery(territory)}`),
  reminders: (id: string) => request<ReminderHistory>(`${campaign(id)}/reminders`),
  sendReminders: (id: string) => request<{ jobId: string }>(`${campaign(id)}/reminders`, json("POST", {})),
};

const all = ["collection"] as const;

/** The TanStack Query keys of this client, built here only: `all` prefixes every collection query. */
export const collectionKeys = {
  all,
  templates: [...all, "templates"] as const,
  campaigns: [...all, "campaigns"] as const,
  status: (id: string, territory?: string) => [...all, "status", id, territory ?? null] as const,
  response: (id: string, uai: string) => [...all, "response", id, uai] as const,
  /** Prefix of a campaign's approval overviews (every territory), invalidated after each step. */
  approvalsOf: (id: string) => [...all, "approvals", id] as const,
  approvals: (id: string, territory?: string) => [...all, "approvals", id, territory ?? null] as const,
  outliers: (id: string, territory?: string) => [...all, "outliers", id, territory ?? null] as const,
  reminders: (id: string) => [...all, "reminders", id] as const,
};
