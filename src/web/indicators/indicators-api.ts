import type {
  HeldDecision,
  HeldValue,
  HeldValueDecision,
  HeldValuesResponse,
  IndicatorCatalogueItem,
  IndicatorDashboard,
  KeyIndicators,
} from "../../contracts/indicators.ts";
import { request } from "../api.ts";
import { apiQuery, type IndicatorPageParams } from "./model.ts";

function periodQuery(period: string | undefined): string {
  return period ? `?${new URLSearchParams({ period }).toString()}` : "";
}

/** Calls of the indicators API. */
export const indicatorsApi = {
  catalogue: () => request<{ items: IndicatorCatalogueItem[] }>("/api/v1/indicators"),
  dashboard: (code: string, params: IndicatorPageParams) =>
    request<IndicatorDashboard>(
      `/api/v1/indicators/${encodeURIComponent(code)}/dashboard?${apiQuery(params)}`,
    ),
  territory: (level: string, code: string, period?: string) =>
    request<KeyIndicators>(
      `/api/v1/territories/${encodeURIComponent(level)}/${encodeURIComponent(code)}/indicators${periodQuery(period)}`,
    ),
  school: (uai: string, period?: string) =>
    request<KeyIndicators>(`/api/v1/schools/${encodeURIComponent(uai)}/indicators${periodQuery(period)}`),
  /** The values held for review in the reader's scope (`indicators.review`). */
  heldValues: () => request<HeldValuesResponse>("/api/v1/data-values/held"),
  decideHeldValue: (value: HeldValue, decision: HeldDecision) => {
    const body: HeldValueDecision = {
      uai: value.uai,
      dataElement: value.dataElement,
      period: value.period,
      disaggregation: value.disaggregation,
      decision,
    };
    return request<{ decision: HeldDecision; refreshMs: number }>("/api/v1/data-values/held/decisions", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
  },
};

const catalogue = ["indicators"] as const;

/**
 * The TanStack Query keys of the indicators' queries, built here only. Invalidating `catalogue`
 * after a change of the confidentiality thresholds refreshes the catalogue.
 */
export const indicatorKeys = {
  catalogue,
  dashboard: (code: string, params: IndicatorPageParams) => ["indicator-dashboard", code, params] as const,
  keyIndicators: (level: string, code: string) => ["key-indicators", level, code] as const,
  /** `GET /api/v1/data-values/held` (the page of values to check). */
  heldValues: ["indicators", "held-values"] as const,
  /** `GET /api/v1/settings/confidentiality` (the thresholds page's own call). */
  confidentiality: ["settings", "confidentiality"] as const,
};
