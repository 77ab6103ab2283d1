import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import type { AuditSort } from "../../contracts/audit.ts";

/** The audit log search kept in the URL (shareable, back button friendly), as the school list does. */
export interface AuditSearchState {
  actor: string;
  action: string;
  entityType: string;
  from: string;
  to: string;
  territory: string;
  sort: AuditSort;
  order: "asc" | "desc";
  page: number;
}

export const AUDIT_SORT_KEYS: readonly AuditSort[] = ["date", "actor", "action", "entityType"];
export const TEXT_FILTERS = ["actor", "action", "entityType", "from", "to", "territory"] as const;
export type AuditTextFilter = (typeof TEXT_FILTERS)[number];

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function parseAuditSearch(search: URLSearchParams): AuditSearchState {
  const page = Number(search.get("page"));
  const text = (name: string, max = 254) => (search.get(name) ?? "").trim().slice(0, max);
  const day = (name: string) => (DAY.test(search.get(name) ?? "") ? (search.get(name) as string) : "");
  const sort = AUDIT_SORT_KEYS.find((key) => key === search.get("sort")) ?? "date";
  return {
    actor: text("actor"),
    action: text("action", 80),
    entityType: text("entityType", 80),
    from: day("from"),
    to: day("to"),
    territory: text("territory", 80),
    sort,
    order: search.get("order") === "asc" ? "asc" : "desc",
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The query string of a state; defaults (date, newest first, page 1, no filter) are left out. */
export function auditSearchString(state: AuditSearchState): string {
  const search = new URLSearchParams();
  for (const name of TEXT_FILTERS) if (state[name]) search.set(name, state[name]);
  if (state.sort !== "date") search.set("sort", state.sort);
  if (state.order !== "desc") search.set("order", state.order);
  if (state.page > 1) search.set("page", String(state.page));
  const text = search.toString();
  return text ? `?${text}` : "";
}

export function useAuditSearch() {
  const [searchParams, setSearchParams] = useSearchParams();
  const state = useMemo(() => parseAuditSearch(searchParams), [searchParams]);
  const navigateTo = useCallback(
    (next: AuditSearchState) =>
      setSearchParams(new URLSearchParams(auditSearchString(next)), { preventScrollReset: true }),
    [setSearchParams],
  );
  /** New filters: back to page 1. */
  const setFilters = useCallback(
    (filters: Pick<AuditSearchState, AuditTextFilter>) => navigateTo({ ...state, ...filters, page: 1 }),
    [state, navigateTo],
  );
  /** Sorting on a column: descending first for dates, ascending for text; again on it reverses. */
  const sortBy = useCallback(
    (sort: AuditSort) => {
      const order =
        state.sort === sort ? (state.order === "asc" ? "desc" : "asc") : sort === "date" ? "desc" : "asc";
      navigateTo({ ...state, sort, order, page: 1 });
    },
    [state, navigateTo],
  );
  const pageSearch = useCallback((page: number) => auditSearchString({ ...state, page }), [state]);
  return { state, setFilters, sortBy, pageSearch };
}
