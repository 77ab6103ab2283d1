import type {
  CampaignInput,
  CampaignStatus,
  CampaignSummary,
  ResponseView,
  SaveResponseBody,
  SaveResponseResult,
  TemplateSummary,
} from "../../contracts/collection.ts";
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
};

const all = ["collection"] as const;

/** The TanStack Query keys of this client, built here only: `all` prefixes every collection query. */
export const collectionKeys = {
  all,
  templates: [...all, "templates"] as const,
  campaigns: [...all, "campaigns"] as const,
  status: (id: string, territory?: string) => [...all, "status", id, territory ?? null] as const,
  response: (id: string, uai: string) => [...all, "response", id, uai] as const,
};
