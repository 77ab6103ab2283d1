import "../indicators/indicators.css";
import { fr } from "@codegouvfr/react-dsfr";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import type { CampaignStatus, CompletenessRow } from "../../contracts/collection.ts";
import { parseNodeKey } from "../../contracts/territory-tree.ts";
import { formatDate, formatInteger } from "../format.ts";
import { RequireUser } from "../identity/RequireUser.tsx";
import { ErrorAlert, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { formatShare } from "../roadmaps/labels.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { approvalPathOf } from "./approval-model.ts";
import {
  CHILDREN_TITLE,
  PHASE_LABELS,
  PHASE_SEVERITY,
  rowLink,
  schoolStatusCells,
  submittedCells,
  submittedShare,
} from "./campaigns-model.ts";
import { collectionApi, collectionKeys } from "./collection-api.ts";

// The map (its outlines weigh) comes only when a level with a map is shown.
const ChildrenMap = lazy(() =>
  import("../indicators/map/ChildrenMap.tsx").then((m) => ({ default: m.ChildrenMap })),
);
const MAP_LEVELS = new Set(["nation", "academicRegion", "academy"]);

const TITLE = "Complétude de la campagne";
const LIST = { label: "Campagnes de collecte", linkProps: { to: "/collecte" } };

/** `/collecte/:id/suivi[?territory=]`: completeness and timeliness under a territory, per child. */
export function CampaignStatusPage() {
  return (
    <RequireUser
      title={TITLE}
      segments={[LIST]}
      permission="collection.approve"
      audience="La complétude est ouverte aux DANE, DRANE, services départementaux et circonscriptions de son territoire."
    >
      {() => <Status />}
    </RequireUser>
  );
}

function Status() {
  const { id = "" } = useParams();
  const [search] = useSearchParams();
  const territory = search.get("territory") ?? undefined;
  const query = useQuery({
    queryKey: collectionKeys.status(id, territory),
    queryFn: () => collectionApi.status(id, territory),
  });
  const title = query.data ? `${TITLE} : ${query.data.territory.label}` : TITLE;
  usePageTitle(query.data ? `${query.data.campaign.title} - ${title}` : TITLE);
  if (query.isPending) return <Loading label="Chargement de la complétude…" />;
  if (query.isError)
    return (
      <>
        <Breadcrumb homeLinkProps={{ to: "/" }} segments={[LIST]} currentPageLabel={TITLE} />
        <h1>{TITLE}</h1>
        <ErrorAlert error={query.error} />
      </>
    );
  return <StatusView status={query.data} territory={territory} />;
}

function StatusView({ status, territory }: { status: CampaignStatus; territory: string | undefined }) {
  const { campaign } = status;
  const level = parseNodeKey(status.territory.key)?.level ?? "nation";
  const childrenTitle = CHILDREN_TITLE[level] ?? "Établissements";
  const drilled = status.territory.key !== campaign.territory;
  const severity = PHASE_SEVERITY[campaign.phase];
  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[LIST]} currentPageLabel={campaign.title} />
      <h1>
        {campaign.title} : complétude, {status.territory.label}
      </h1>
      <p>
        {campaign.territoryLabel}, période {campaign.period}, du {formatDate(campaign.opensOn)} au{" "}
        {formatDate(campaign.closesOn)}{" "}
        <Badge as="span" small {...(severity ? { severity } : { noIcon: true })}>
          {PHASE_LABELS[campaign.phase]}
        </Badge>
      </p>
      {campaign.approvalLevels.length > 0 ? (
        <p>
          <Link to={approvalPathOf(campaign.id, territory)}>
            Valider les réponses ({status.territory.label})
          </Link>
        </p>
      ) : null}
      {drilled ? (
        <p>
          <Link to={`/collecte/${encodeURIComponent(campaign.id)}/suivi`}>
            Revenir à l'ensemble de la campagne ({campaign.territoryLabel})
          </Link>
        </p>
      ) : null}
      <Figures total={status.total} />
      <section className={fr.cx("fr-mt-6w")} aria-labelledby="completude-enfants">
        <h2 id="completude-enfants">
          {childrenTitle} ({status.rows.length})
        </h2>
        {MAP_LEVELS.has(level) && status.rows.length > 0 ? (
          <Suspense fallback={<Loading label="Chargement de la carte…" />}>
            <ChildrenMap
              level={level}
              code={parseNodeKey(status.territory.key)?.code ?? ""}
              territoryName={status.territory.label}
              childrenCells={submittedCells(status.rows, campaign.period)}
              unit="%"
              childrenTitle={`${childrenTitle} : part des établissements qui ont transmis`}
            />
          </Suspense>
        ) : null}
        <RowsTable status={status} childrenTitle={childrenTitle} />
      </section>
      <section className={fr.cx("fr-mt-6w")} aria-labelledby="completude-export">
        <h2 id="completude-export">Télécharger</h2>
        <a
          className={fr.cx("fr-link", "fr-icon-download-line", "fr-link--icon-left")}
          href={collectionApi.statusCsvUrl(campaign.id, territory)}
          download
        >
          Complétude par {childrenTitle.toLowerCase()} (CSV)
        </a>
      </section>
    </>
  );
}

function Figures({ total }: { total: CompletenessRow }) {
  const share = submittedShare(total);
  const figures = [
    { label: "établissements attendus", value: formatInteger(total.expected) },
    { label: `ont transmis (${formatShare(share)})`, value: formatInteger(total.submitted) },
    { label: "réponses validées", value: formatInteger(total.approved) },
    { label: "transmises à temps", value: formatInteger(total.onTime) },
    { label: "des champs obligatoires renseignés", value: formatShare(total.fieldsAnswered) },
  ];
  return (
    <section className={fr.cx("fr-mt-4w")} aria-labelledby="completude-chiffres">
      <h2 id="completude-chiffres">Chiffres clés</h2>
      <ul className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-raw-list")}>
        {figures.map((f) => (
          <li key={f.label} className={fr.cx("fr-col-12", "fr-col-sm-6", "fr-col-md-4")}>
            <div className={fr.cx("fr-p-3w")} style={{ border: "1px solid var(--border-default-grey)" }}>
              <p className={fr.cx("fr-h3", "fr-mb-0")}>{f.value}</p>
              <p className={fr.cx("fr-mb-0")}>{f.label}</p>
            </div>
          </li>
        ))}
      </ul>
      <p className={fr.cx("fr-text--sm", "fr-mt-2w")}>
        À temps : transmises au plus tard le jour de la clôture. Les champs obligatoires renseignés sont
        comptés sur tous les établissements attendus, qu'ils aient transmis ou non.
      </p>
    </section>
  );
}

function Cells({ row }: { row: CompletenessRow }) {
  return (
    <>
      <td>{formatInteger(row.expected)}</td>
      <td>{formatInteger(row.started)}</td>
      <td>
        {formatInteger(row.submitted)} ({formatShare(submittedShare(row))})
      </td>
      <td>{formatInteger(row.approved)}</td>
      <td>{formatInteger(row.onTime)}</td>
      <td>{formatShare(row.fieldsAnswered)}</td>
    </>
  );
}

function RowsTable({ status, childrenTitle }: { status: CampaignStatus; childrenTitle: string }) {
  // A district's children are schools: each shows its response's state rather than counts of 0 or 1.
  if (parseNodeKey(status.territory.key)?.level === "district") return <SchoolsTable status={status} />;
  return (
    <DataTable
      caption={`${childrenTitle} de ${status.territory.label} : complétude`}
      head={
        <tr>
          <th scope="col">Territoire</th>
          <th scope="col">Attendus</th>
          <th scope="col">Commencés</th>
          <th scope="col">Transmis</th>
          <th scope="col">Validés</th>
          <th scope="col">À temps</th>
          <th scope="col">Champs obligatoires renseignés</th>
        </tr>
      }
    >
      {status.rows.map((row) => {
        const to = rowLink(status.campaign.id, row);
        return (
          <tr key={row.key || row.label}>
            <th scope="row">{to ? <Link to={to}>{row.label}</Link> : row.label}</th>
            <Cells row={row} />
          </tr>
        );
      })}
      <tr>
        <th scope="row">Ensemble : {status.territory.label}</th>
        <Cells row={status.total} />
      </tr>
    </DataTable>
  );
}

function SchoolsTable({ status }: { status: CampaignStatus }) {
  const { total } = status;
  return (
    <DataTable
      caption={`Établissements de ${status.territory.label} : complétude`}
      head={
        <tr>
          <th scope="col">Établissement</th>
          <th scope="col">État de la réponse</th>
          <th scope="col">Transmise le</th>
          <th scope="col">À temps</th>
          <th scope="col">Champs obligatoires renseignés</th>
        </tr>
      }
    >
      {status.rows.map((row) => {
        const to = rowLink(status.campaign.id, row);
        const cells = schoolStatusCells(row);
        return (
          <tr key={row.key || row.label}>
            <th scope="row">{to ? <Link to={to}>{row.label}</Link> : row.label}</th>
            <td>{cells?.state}</td>
            <td>{cells?.submittedOn}</td>
            <td>{cells?.onTime}</td>
            <td>{cells?.filled}</td>
          </tr>
        );
      })}
      <tr>
        <th scope="row">Ensemble : {status.territory.label}</th>
        <td>
          {formatInteger(total.submitted)} transmises sur {formatInteger(total.expected)},{" "}
          {formatInteger(total.approved)} validées
        </td>
        <td>—</td>
        <td>{formatInteger(total.onTime)}</td>
        <td>{formatShare(total.fieldsAnswered)}</td>
      </tr>
    </DataTable>
  );
}
