import type {
  IndicatorCatalogueItem,
  IndicatorDashboard,
  KeyIndicators,
} from "../../contracts/indicators.ts";
import { request } from "../api.ts";
import { apiQuery, type IndicatorPageParams } from "./model.ts";

function periodQuery(period: string | undefined): string {
  return period ? `?${new URLSearchParams({ period }).toString()}` : "";
}

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
};
