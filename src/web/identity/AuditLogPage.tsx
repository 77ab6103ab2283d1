import { fr } from "@codegouvfr/react-dsfr";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { type FormEvent, useEffect, useState } from "react";
import { Link } from "react-router";
import type { AuditEventDto, AuditSort } from "../../contracts/audit.ts";
import {
  AUDIT_ACTION_LABELS,
  AUDIT_ENTITY_LABELS,
  AUDIT_SOURCE_LABELS,
  auditActionLabel,
  auditEntityLabel,
} from "../../contracts/audit-labels.ts";
import { formatInteger, plural } from "../format.ts";
import { ErrorAlert } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { type FieldError, FormErrorSummary } from "../ui/FormErrorSummary.tsx";
import { formatShortDateTime, summaryEntries } from "./format-time.ts";
import { auditCsvUrl, identityApi, identityKeys } from "./identity-api.ts";
import { RequireUser } from "./RequireUser.tsx";
import { type AuditSearchState, type AuditTextFilter, useAuditSearch } from "./useAuditSearch.ts";

const TITLE = "Journal d'audit";
export const AUDIT_PAGE_SIZE = 50;

/** `/administration/journal`: search the audit log, sort, page through, export as CSV. */
export function AuditLogPage() {
  return (
    <RequireUser
      title={TITLE}
      permission="audit.read"
      audience="Cette page est réservée aux administrateurs nationaux et aux équipes de pilotage (DRANE, DANE)."
    >
      {() => <AuditLog />}
    </RequireUser>
  );
}

function AuditLog() {
  usePageTitle(TITLE);
  const { state, setFilters, sortBy, pageSearch } = useAuditSearch();
  const search = {
    actor: state.actor || undefined,
    action: state.action || undefined,
    entityType: state.entityType || undefined,
    from: state.from || undefined,
    to: state.to || undefined,
    territory: state.territory || undefined,
    sort: state.sort,
    order: state.order,
  };
  const query = useQuery({
    queryKey: identityKeys.auditEvents(search, state.page),
    queryFn: () => identityApi.auditEvents({ ...search, page: state.page, pageSize: AUDIT_PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const total = query.data?.total ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / AUDIT_PAGE_SIZE));
  const shownPage = query.data?.page ?? state.page;

  let announcement = "";
  if (query.isPending) announcement = "Recherche dans le journal en cours…";
  else if (query.data) {
    announcement =
      total === 0
        ? "Aucun événement ne correspond à votre recherche."
        : `${plural(total, "événement trouvé", "événements trouvés")}${pageCount > 1 ? `, page ${formatInteger(shownPage)} sur ${formatInteger(pageCount)}` : ""}.`;
  }

  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[]} currentPageLabel={TITLE} />
      <h1>{TITLE}</h1>
      <p>
        Chaque écriture dans Vigie (import, compte, rôle, paramètre) et chaque connexion est enregistrée ici :
        qui, quand, quoi, depuis quel formulaire ou quel import. Vous voyez les événements de votre périmètre.
        Les événements sont conservés selon la durée fixée par l'administrateur national, puis supprimés.
      </p>
      <AuditFilters state={state} onSubmit={setFilters} />
      <div className={fr.cx("fr-grid-row", "fr-grid-row--middle", "fr-mb-2w")}>
        <p role="status" className={fr.cx("fr-mb-0", "fr-text--bold", "fr-mr-3w")}>
          {announcement}
        </p>
        <a className={fr.cx("fr-link", "fr-link--download")} href={auditCsvUrl(search)} download>
          Exporter ces événements
          <span className={fr.cx("fr-link__detail")}>CSV, séparateur point-virgule</span>
        </a>
      </div>
      {query.isError ? <ErrorAlert error={query.error} title="Le journal n'a pas pu être chargé" /> : null}
      <div aria-busy={query.isFetching}>
        {query.data && query.data.items.length > 0 ? (
          <AuditTable
            events={query.data.items}
            state={state}
            onSort={sortBy}
            caption={`Événements du journal d'audit${pageCount > 1 ? ` (page ${formatInteger(shownPage)} sur ${formatInteger(pageCount)})` : ""}`}
          />
        ) : null}
      </div>
      {pageCount > 1 ? (
        <Pagination
          count={pageCount}
          defaultPage={Math.min(state.page, pageCount)}
          showFirstLast
          getPageLinkProps={(page) => ({ to: { search: pageSearch(page) }, preventScrollReset: true })}
        />
      ) : null}
    </>
  );
}

const FILTER_IDS: Record<AuditTextFilter, string> = {
  actor: "journal-auteur",
  action: "journal-action",
  entityType: "journal-objet",
  from: "journal-du",
  to: "journal-au",
  territory: "journal-territoire",
};

function AuditFilters({
  state,
  onSubmit,
}: {
  state: AuditSearchState;
  onSubmit: (filters: Pick<AuditSearchState, AuditTextFilter>) => void;
}) {
  const [draft, setDraft] = useState(() => pick(state));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [submits, setSubmits] = useState(0);
  // Back / forward navigation changes the URL: keep the fields in step.
  useEffect(() => setDraft(pick(state)), [state]);

  const field = (name: AuditTextFilter) => ({
    id: FILTER_IDS[name],
    name,
    value: draft[name],
    onChange: (event: { target: { value: string } }) =>
      setDraft((d) => ({ ...d, [name]: event.target.value })),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldError[] = [];
    if (draft.territory && !/^([A-Za-z]+:)?[0-9A-Za-z_-]+$/.test(draft.territory.trim())) {
      found.push({
        fieldId: FILTER_IDS.territory,
        label: "Territoire",
        message:
          "écrivez FR, niveau:code (academy:04, academicRegion:75…) ou un code qui ne désigne qu'un territoire (2A, un UAI).",
      });
    }
    if (draft.from && draft.to && draft.from > draft.to) {
      found.push({
        fieldId: FILTER_IDS.to,
        label: "Au",
        message: "la date de fin précède la date de début.",
      });
    }
    setErrors(found);
    setSubmits((n) => n + 1);
    if (found.length === 0)
      onSubmit({ ...draft, territory: draft.territory.trim(), actor: draft.actor.trim() });
  };

  const errorFor = (name: AuditTextFilter) => errors.find((e) => e.fieldId === FILTER_IDS[name])?.message;

  return (
    <search aria-label="Rechercher dans le journal d'audit" className={fr.cx("fr-mb-4w")}>
      <FormErrorSummary errors={errors} focusKey={submits} />
      <form onSubmit={submit} noValidate>
        <fieldset className={fr.cx("fr-fieldset", "fr-mb-0")} aria-labelledby="journal-filtres-legende">
          <legend id="journal-filtres-legende" className={fr.cx("fr-fieldset__legend", "fr-text--regular")}>
            Filtrer les événements
          </legend>
          <div className={fr.cx("fr-fieldset__element")}>
            <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
              <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                <Input
                  label="Auteur"
                  hintText="Une partie de l'adresse électronique"
                  nativeInputProps={{ ...field("actor"), type: "search", autoComplete: "off" }}
                />
              </div>
              <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                <Select label="Action" nativeSelectProps={field("action")}>
                  <option value="">Toutes les actions</option>
                  {Object.entries(AUDIT_ACTION_LABELS).map(([code, label]) => (
                    <option key={code} value={code}>
                      {label}
                    </option>
                  ))}
                </Select>
              </div>
              <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                <Select label="Type d'objet" nativeSelectProps={field("entityType")}>
                  <option value="">Tous les types</option>
                  {Object.entries(AUDIT_ENTITY_LABELS).map(([code, label]) => (
                    <option key={code} value={code}>
                      {label}
                    </option>
                  ))}
                </Select>
              </div>
              <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                <Input
                  label="Du"
                  hintText="Premier jour inclus"
                  nativeInputProps={{ ...field("from"), type: "date" }}
                />
              </div>
              <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                <Input
                  label="Au"
                  hintText="Dernier jour inclus"
                  state={errorFor("to") ? "error" : "default"}
                  stateRelatedMessage={
                    errorFor("to") ? "La date de fin précède la date de début." : undefined
                  }
                  nativeInputProps={{ ...field("to"), type: "date" }}
                />
              </div>
              <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
                <Input
                  label="Territoire"
                  hintText="FR, academicRegion:75, academy:04…"
                  state={errorFor("territory") ? "error" : "default"}
                  stateRelatedMessage={errorFor("territory") ? "Écrivez FR ou niveau:code." : undefined}
                  nativeInputProps={{ ...field("territory"), autoComplete: "off" }}
                />
              </div>
            </div>
          </div>
        </fieldset>
        <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--icon-left")}>
          <li>
            <Button type="submit" iconId="fr-icon-search-line">
              Rechercher
            </Button>
          </li>
          <li>
            <Link className={fr.cx("fr-btn", "fr-btn--secondary")} to={{ search: "" }} preventScrollReset>
              Effacer les filtres
            </Link>
          </li>
        </ul>
      </form>
    </search>
  );
}

function pick(state: AuditSearchState): Pick<AuditSearchState, AuditTextFilter> {
  const { actor, action, entityType, from, to, territory } = state;
  return { actor, action, entityType, from, to, territory };
}

const SORTABLE: { key: AuditSort; label: string }[] = [
  { key: "date", label: "Date" },
  { key: "actor", label: "Auteur" },
  { key: "action", label: "Action" },
  { key: "entityType", label: "Objet" },
];

/** The table, with sortable column headers (aria-sort on the sorted one; the button says what it does). */
function AuditTable({
  events,
  state,
  onSort,
  caption,
}: {
  events: AuditEventDto[];
  state: AuditSearchState;
  onSort: (sort: AuditSort) => void;
  caption: string;
}) {
  return (
    <div className={fr.cx("fr-table")}>
      <div className={fr.cx("fr-table__wrapper")}>
        <div className={fr.cx("fr-table__container")}>
          <div className={fr.cx("fr-table__content")}>
            <table>
              <caption>{caption}</caption>
              <thead>
                <tr>
                  {SORTABLE.map((column) => {
                    const sorted = state.sort === column.key;
                    const next = sorted
                      ? state.order === "asc"
                        ? "décroissant"
                        : "croissant"
                      : column.key === "date"
                        ? "décroissant"
                        : "croissant";
                    return (
                      <th
                        key={column.key}
                        scope="col"
                        aria-sort={sorted ? (state.order === "asc" ? "ascending" : "descending") : undefined}
                      >
                        <button
                          type="button"
                          className={fr.cx(
                            "fr-btn",
                            "fr-btn--tertiary-no-outline",
                            "fr-btn--sm",
                            "fr-btn--icon-right",
                            sorted
                              ? state.order === "asc"
                                ? "fr-icon-arrow-up-line"
                                : "fr-icon-arrow-down-line"
                              : "fr-icon-arrow-up-down-line",
                          )}
                          onClick={() => onSort(column.key)}
                        >
                          {column.label}
                          <span className={fr.cx("fr-sr-only")}> : trier par ordre {next}</span>
                        </button>
                      </th>
                    );
                  })}
                  <th scope="col">Territoire</th>
                  <th scope="col">Source</th>
                  <th scope="col">Détails</th>
                </tr>
              </thead>
              <tbody>
                {events.map((event) => (
                  <tr key={event.id}>
                    <td>{formatShortDateTime(event.occurredAt)}</td>
                    <td>{event.actorLabel}</td>
                    <td>{auditActionLabel(event.action)}</td>
                    <td>
                      {auditEntityLabel(event.entityType)}
                      {event.entityId ? ` n° ${event.entityId}` : ""}
                    </td>
                    <td>
                      {event.territoryLevel ? `${event.territoryLevel}:${event.territoryCode}` : "—"}
                      {event.academyCode && event.territoryLevel !== "academy"
                        ? ` (académie ${event.academyCode})`
                        : ""}
                    </td>
                    <td>
                      {AUDIT_SOURCE_LABELS[event.source] ?? event.source}
                      {event.sourceRef ? ` (${event.sourceRef})` : ""}
                    </td>
                    <td>
                      <Summary summary={event.summary} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}

function Summary({ summary }: { summary: Record<string, unknown> }) {
  const entries = summaryEntries(summary);
  if (entries.length === 0) return <>—</>;
  return (
    <ul className={fr.cx("fr-raw-list", "fr-text--sm", "fr-mb-0")}>
      {entries.map(([key, value]) => (
        <li key={key}>
          {key} : {value}
        </li>
      ))}
    </ul>
  );
}
