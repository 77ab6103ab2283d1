import { fr } from "@codegouvfr/react-dsfr";
import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useRef } from "react";
import { Link } from "react-router";
import { api, territoryKeys } from "../api.ts";
import { formatInteger, plural } from "../format.ts";
import { ErrorAlert } from "../layout/QueryState.tsx";
import { SchoolFiltersForm } from "./SchoolFiltersForm.tsx";
import { SchoolTable } from "./SchoolTable.tsx";
import { useSchoolListParams } from "./useSchoolListParams.ts";

export const SCHOOL_PAGE_SIZE = 20;

type Props = {
  /** `FR`, `academy:04`…; undefined: every school. */
  territory?: string;
  /** Where the list is, for the table caption: « France », « Académie : Bordeaux »… */
  scopeLabel: string;
};

/** Searchable, filterable, paginated list of schools; its state lives in the URL query string. */
export function SchoolList({ territory, scopeLabel }: Props) {
  const id = useId();
  const { params, setFilters, pageSearch } = useSchoolListParams();
  const filters = {
    territory,
    type: params.type,
    sector: params.sector,
    priorityEducation: params.priorityEducation,
    status: params.status,
    q: params.q || undefined,
    page: params.page,
    pageSize: SCHOOL_PAGE_SIZE,
  };
  const query = useQuery({
    queryKey: territoryKeys.schools(filters),
    queryFn: () => api.schools(filters),
    placeholderData: keepPreviousData,
  });

  // What is on screen: while the next page loads, the previous one stays (keepPreviousData), so the
  // caption and the count describe the data shown, not the URL. A name search stops counting
  // past a few hundred (`totalIsLowerBound`): « Plus de 200 », and the pager reaches one page further.
  const total = query.data?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / SCHOOL_PAGE_SIZE));
  const shownPage = query.data?.page ?? params.page;

  // After moving to another page of results, bring the top of the list back into view.
  const countRef = useRef<HTMLParagraphElement>(null);
  const previousPage = useRef(shownPage);
  useEffect(() => {
    if (previousPage.current === shownPage) return;
    previousPage.current = shownPage;
    countRef.current?.scrollIntoView({ block: "start" });
  }, [shownPage]);
  const busy = query.isFetching;
  const isFiltered = Boolean(
    params.q || params.type || params.sector || params.priorityEducation || params.status !== "open",
  );

  let announcement = "";
  if (query.isPending) announcement = "Recherche des établissements en cours…";
  else if (query.data) {
    announcement =
      total === 0
        ? "Aucun établissement ne correspond à votre recherche."
        : `${query.data.totalIsLowerBound ? "Plus de " : ""}${plural(total, "établissement trouvé", "établissements trouvés")}${pageCount > 1 ? `, page ${formatInteger(shownPage)} sur ${query.data.totalIsLowerBound ? "plus de " : ""}${formatInteger(pageCount)}` : ""}.`;
  }

  return (
    <div>
      <SchoolFiltersForm params={params} onChange={setFilters} />
      <div className={fr.cx("fr-grid-row", "fr-grid-row--middle", "fr-mb-2w")}>
        <p
          ref={countRef}
          id={`${id}-count`}
          role="status"
          className={fr.cx("fr-mb-0", "fr-text--bold", "fr-mr-3w")}
        >
          {announcement}
        </p>
        {isFiltered ? (
          <Link
            to={{ search: "" }}
            preventScrollReset
            className={fr.cx("fr-link", "fr-icon-close-circle-line", "fr-link--icon-left")}
          >
            Effacer la recherche et les filtres
          </Link>
        ) : null}
      </div>
      {query.isError ? (
        <ErrorAlert error={query.error} title="La liste des établissements n'a pas pu être chargée" />
      ) : null}
      <div aria-busy={busy}>
        {query.data && query.data.items.length > 0 ? (
          <SchoolTable
            schools={query.data.items}
            caption={`Établissements – ${scopeLabel}${pageCount > 1 ? ` (page ${formatInteger(shownPage)} sur ${formatInteger(pageCount)})` : ""}`}
          />
        ) : null}
      </div>
      {pageCount > 1 ? (
        <Pagination
          count={pageCount}
          defaultPage={Math.min(params.page, pageCount)}
          showFirstLast
          getPageLinkProps={(page) => ({ to: { search: pageSearch(page) }, preventScrollReset: true })}
        />
      ) : null}
    </div>
  );
}
