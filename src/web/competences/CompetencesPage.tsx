import "./competences.css";
import { fr } from "@codegouvfr/react-dsfr";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link, useSearchParams } from "react-router";
import { COMPETENCE_LEVEL_LABELS, COMPETENCE_LEVELS } from "../../contracts/competence-levels.ts";
import type {
  CompetenceHeadline,
  CompetenceHeatMap,
  CompetencesDashboard,
} from "../../contracts/competences.ts";
import { PIX_SCORE_BANDS } from "../../contracts/crcn.ts";
import type { IndicatorCell } from "../../contracts/indicators.ts";
import { NATION_KEY } from "../../contracts/territory-tree.ts";
import { isNotFound, request } from "../api.ts";
import { CellValue, StatusTag } from "../indicators/cells.tsx";
import { formatValue, NODE_LEVEL_LABELS, nodeKey, periodLabel } from "../indicators/model.ts";
import { TrendChart } from "../indicators/TrendChart.tsx";
import { NotFoundPage } from "../layout/NotFoundPage.tsx";
import { ErrorAlert, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { DataTable } from "../ui/DataTable.tsx";
import {
  apiQuery,
  type CompetencesParams,
  competencesSearch,
  heatStep,
  parseCompetencesParams,
} from "./model.ts";
import { SchoolClasses } from "./SchoolClasses.tsx";

/** `/competences?territoire=…&periode=…&niveau=…`: the digital-competences dashboard (Pix, CRCN). */
export function CompetencesPage() {
  const [searchParams, setSearchParams] = useSearchParams();
  const params = parseCompetencesParams(searchParams);
  const query = useQuery({
    queryKey: ["competences", params],
    queryFn: () => request<CompetencesDashboard>(`/api/v1/competences/dashboard?${apiQuery(params)}`),
    placeholderData: (previous) => previous,
  });
  const change = (next: Partial<CompetencesParams>) =>
    setSearchParams(new URLSearchParams(competencesSearch({ ...params, ...next })), {
      preventScrollReset: true,
    });
  if (isNotFound(query.error))
    return (
      <NotFoundPage
        title="Territoire introuvable"
        message={query.error instanceof Error ? query.error.message : undefined}
      />
    );
  if (query.isPending) return <PageLoading />;
  if (query.isError) return <PageError error={query.error} />;
  return (
    <CompetencesView
      dashboard={query.data}
      params={params}
      onChange={change}
      updating={query.isPlaceholderData}
    />
  );
}

function PageLoading() {
  usePageTitle("Chargement des compétences numériques");
  return <Loading label="Chargement des compétences numériques…" />;
}

function PageError({ error }: { error: unknown }) {
  usePageTitle("Erreur");
  return <ErrorAlert error={error} title="Les compétences numériques n'ont pas pu être chargées" />;
}

function CompetencesView({
  dashboard,
  params,
  onChange,
  updating,
}: {
  dashboard: CompetencesDashboard;
  params: CompetencesParams;
  onChange: (next: Partial<CompetencesParams>) => void;
  updating: boolean;
}) {
  const id = useId();
  const node = dashboard.territory;
  usePageTitle(`Compétences numériques : ${node.name}`);
  const exportQuery = apiQuery({ ...params, period: dashboard.period });
  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[]} currentPageLabel="Compétences numériques" />
      <p className={fr.cx("fr-mb-1w", "fr-text--lg")}>
        {node.level === "nation" ? "France" : `${NODE_LEVEL_LABELS[node.level]} : ${node.name}`}
      </p>
      <h1>Compétences numériques des élèves</h1>
      <p className={fr.cx("fr-text--lead")}>
        Les profils Pix envoyés par les élèves et les certifications, selon le cadre de référence des
        compétences numériques (5 domaines, 16 compétences, 8 niveaux). Les cases trop petites pour être
        publiées sont masquées (secret statistique).
      </p>
      <form
        className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-mb-2w")}
        aria-label="Niveau de classe"
        onSubmit={(event) => event.preventDefault()}
      >
        <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
          <Select
            label="Niveau de classe"
            nativeSelectProps={{
              id: `${id}-niveau`,
              value: dashboard.level,
              onChange: (event) => onChange({ level: event.target.value as CompetencesParams["level"] }),
            }}
          >
            {COMPETENCE_LEVELS.map((l) => (
              <option key={l} value={l}>
                {COMPETENCE_LEVEL_LABELS[l]}
              </option>
            ))}
          </Select>
        </div>
        <div className={fr.cx("fr-col-12", "fr-col-md-8")}>
          <p role="status" className={fr.cx("fr-text--sm", "fr-mt-4w", "fr-mb-0")}>
            {updating ? "Mise à jour…" : `Données de l'${periodLabel(dashboard.period)}.`}
          </p>
        </div>
      </form>
      {node.level !== "nation" ? (
        <p>
          <Link to={`/competences?${competencesSearch({ ...params, territory: NATION_KEY })}`}>
            Voir la France entière
          </Link>
        </p>
      ) : null}
      <Headlines headlines={dashboard.headlines} territoryName={node.name} />
      <ScoreBands />
      {node.level === "school" ? <SchoolClasses uai={node.code} period={dashboard.period} /> : null}
      {dashboard.heatMaps.map((map) => (
        <HeatMap key={map.metric} map={map} params={params} />
      ))}
      <h2>Télécharger</h2>
      <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--icon-left")}>
        <li>
          <a
            className={fr.cx("fr-btn", "fr-btn--secondary", "fr-icon-download-line")}
            href={`/api/v1/competences/dashboard.csv?${exportQuery}`}
            download
          >
            Tableau de bord en CSV
          </a>
        </li>
        <li>
          <a
            className={fr.cx("fr-btn", "fr-btn--secondary", "fr-icon-download-line")}
            href={`/api/v1/competences/dashboard.xlsx?${exportQuery}`}
            download
          >
            Tableau de bord en XLSX
          </a>
        </li>
      </ul>
    </>
  );
}

function Headlines({
  headlines,
  territoryName,
}: {
  headlines: readonly CompetenceHeadline[];
  territoryName: string;
}) {
  const meanScore = headlines.find((h) => h.key === "meanScore");
  return (
    <section aria-labelledby="chiffres-cles">
      <h2 id="chiffres-cles">Chiffres clés</h2>
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-mb-4w")}>
        {headlines.map((h) => (
          <div key={h.key} className={fr.cx("fr-col-12", "fr-col-sm-6", "fr-col-lg-3")}>
            <div className={fr.cx("fr-card", "fr-card--no-arrow")}>
              <div className={fr.cx("fr-card__body")}>
                <div className={fr.cx("fr-card__content")}>
                  <h3 className={fr.cx("fr-card__title")}>{h.label}</h3>
                  <p className={fr.cx("fr-text--xl", "fr-text--bold", "fr-mb-1w")}>
                    <CellValue cell={h.cell} unit={h.unit} />
                  </p>
                  {h.target !== null ? (
                    <p className={fr.cx("fr-mb-1w")}>
                      Cible de la feuille de route : {formatValue(h.target, h.unit)}
                    </p>
                  ) : null}
                  <StatusTag cell={h.cell} />
                </div>
              </div>
            </div>
          </div>
        ))}
      </div>
      {meanScore ? (
        <>
          <h3>Évolution du score Pix moyen</h3>
          <TrendChart series={meanScore.series} unit={meanScore.unit} territoryName={territoryName} />
        </>
      ) : null}
      <DataTable
        caption="Évolution des chiffres clés, par année scolaire"
        head={
          <tr>
            <th scope="col">Chiffre</th>
            {(headlines[0]?.series ?? []).map((c) => (
              <th key={c.period} scope="col">
                {c.period}
              </th>
            ))}
          </tr>
        }
      >
        {headlines.map((h) => (
          <tr key={h.key}>
            <th scope="row">{h.label}</th>
            {h.series.map((c) => (
              <td key={c.period}>
                <CellValue cell={c} unit={h.unit} showReason={false} />
              </td>
            ))}
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

function ScoreBands() {
  return (
    <section aria-labelledby="paliers-pix">
      <h2 id="paliers-pix">Légende : paliers du score Pix</h2>
      <DataTable
        caption="Paliers du score Pix (sur 1 024 pix)"
        head={
          <tr>
            <th scope="col">Score</th>
            <th scope="col">Palier</th>
          </tr>
        }
      >
        {PIX_SCORE_BANDS.map((b) => (
          <tr key={b.min}>
            <td>{b.max === null ? `${b.min} pix et plus` : `${b.min} à ${b.max} pix`}</td>
            <td>{b.label}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

function HeatCell({
  cell,
  unit,
  metric,
}: {
  cell: IndicatorCell;
  unit: string;
  metric: CompetenceHeatMap["metric"];
}) {
  const step = heatStep(cell, metric);
  return (
    <td className={step === null ? undefined : `vigie-heat vigie-heat--${step}`}>
      <CellValue cell={cell} unit={unit} showReason={false} />
    </td>
  );
}

function HeatMap({ map, params }: { map: CompetenceHeatMap; params: CompetencesParams }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId}>
      <h2 id={headingId}>{map.label}</h2>
      <p>
        Chaque ligne est une compétence ; la première colonne donne le territoire, les suivantes ses
        sous-territoires (un lien ouvre leur tableau de bord). Plus la case est foncée, plus la valeur est
        élevée ; la valeur est écrite dans chaque case.
      </p>
      <DataTable
        caption={map.label}
        head={
          <tr>
            <th scope="col">Compétence</th>
            <th scope="col">Ensemble</th>
            {map.columns.map((n) => (
              <th key={nodeKey(n)} scope="col">
                <Link to={`/competences?${competencesSearch({ ...params, territory: nodeKey(n) })}`}>
                  {n.name}
                </Link>
              </th>
            ))}
          </tr>
        }
      >
        {map.rows.map((r) => (
          <tr key={r.competence}>
            <th scope="row">
              {r.competence} {r.name}
            </th>
            <HeatCell cell={r.territory} unit={map.unit} metric={map.metric} />
            {r.cells.map((c) => (
              <HeatCell key={nodeKey(c.node)} cell={c} unit={map.unit} metric={map.metric} />
            ))}
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
