import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import type { SchoolListQuery, SchoolSector, SchoolType } from "../../contracts/territories.ts";
import { SCHOOL_SECTORS, SCHOOL_TYPES } from "../enums.ts";

export type PriorityEducationFilter = NonNullable<SchoolListQuery["priorityEducation"]>;
export type StatusFilter = SchoolListQuery["status"];

/** The school list state kept in the URL query string (shareable, back button friendly). */
export interface SchoolListParams {
  type: SchoolType | undefined;
  sector: SchoolSector | undefined;
  priorityEducation: PriorityEducationFilter | undefined;
  status: StatusFilter;
  q: string;
  page: number;
}

export const PRIORITY_EDUCATION_FILTERS: readonly PriorityEducationFilter[] = ["REP+", "REP", "none"];
export const STATUS_FILTERS: readonly StatusFilter[] = ["open", "closed", "all"];

function oneOf<T extends string>(values: readonly T[], raw: string | null): T | undefined {
  return values.find((value) => value === raw);
}

export function parseSchoolListParams(search: URLSearchParams): SchoolListParams {
  const page = Number(search.get("page"));
  return {
    type: oneOf(SCHOOL_TYPES, search.get("type")),
    sector: oneOf(SCHOOL_SECTORS, search.get("sector")),
    priorityEducation: oneOf(PRIORITY_EDUCATION_FILTERS, search.get("priorityEducation")),
    status: oneOf(STATUS_FILTERS, search.get("status")) ?? "open",
    q: (search.get("q") ?? "").trim().slice(0, 100),
    page: Number.isInteger(page) && page >= 1 ? page : 1,
  };
}

/** The query string of a state; defaults (status open, page 1, empty filters) are left out. */
export function schoolListSearch(params: SchoolListParams): string {
  const search = new URLSearchParams();
  if (params.q) search.set("q", params.q);
  if (params.type) search.set("type", params.type);
  if (params.sector) search.set("sector", params.sector);
  if (params.priorityEducation) search.set("priorityEducation", params.priorityEducation);
  if (params.status !== "open") search.set("status", params.status);
  if (params.page > 1) search.set("page", String(params.page));
  const text = search.toString();
  return text ? `?${text}` : "";
}

export function useSchoolListParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const params = useMemo(() => parseSchoolListParams(searchParams), [searchParams]);

  /** Applies a change of filters: back to page 1, one new history entry. */
  const setFilters = useCallback(
    (change: Partial<Omit<SchoolListParams, "page">>) => {
      const next = { ...params, ...change, page: 1 };
      setSearchParams(new URLSearchParams(schoolListSearch(next)), { preventScrollReset: true });
    },
    [params, setSearchParams],
  );

  const pageSearch = useCallback((page: number) => schoolListSearch({ ...params, page }), [params]);

  return { params, setFilters, pageSearch };
}
