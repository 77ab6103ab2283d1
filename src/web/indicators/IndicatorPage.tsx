import "./indicators.css";
import { fr } from "@codegouvfr/react-dsfr";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useEffect, useId } from "react";
import { Link, useParams, useSearchParams } from "react-router";
import type { IndicatorCell, IndicatorDashboard } from "../../contracts/indicators.ts";
import { isNotFound } from "../api.ts";
import { NotFoundPage } from "../layout/NotFoundPage.tsx";
import { ErrorAlert, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { schoolPath, territoryPath } from "../territories/paths.ts";
import { ChildrenTable } from "./ChildrenTable.tsx";
import { CellValue, StatusTag, VerdictTag } from "./cells.tsx";
import { IpsPeersCard } from "./IpsPeers.tsx";
import { indicatorKeys, indicatorsApi } from "./indicators-api.ts";
import {
  CHILD_LEVEL_PLURALS,
  cellDisplay,
  exportUrl,
  formatCoverage,
  formatDifference,
  formatNumber,
  formatValue,
  type IndicatorPageParams,
  indicatorPath,
  indicatorSearch,
  NODE_LEVEL_LABELS,
  nodeKey,
  nodePhrase,
  parseIndicatorParams,
  parseNodeKey,
  periodLabel,
  sameKindSeries,
  schemaUrl,
  verdictSentence,
} from "./model.ts";
import { ObjectivesSection } from "./ObjectivesSection.tsx";
import { TrendChart } from "./TrendChart.tsx";

// The map (outlines of the 101 départements) is loaded only when a page shows one.
const loadMap = () => import("./map/ChildrenMap.tsx");
const ChildrenMap = lazy(() => loadMap().then((m) => ({ default: m.ChildrenMap })));
const MAP_LEVELS = new Set(["nation", "academicRegion", "academy"]);

/** `/indicateurs/:code?territoire=…&periode=…&groupe=…` */
export function IndicatorPage() {
  const code = useParams().code ?? "";
  const [searchParams, setSearchParams] = useSearchParams();
  const params = parseIndicatorParams(searchParams);
  const level = parseNodeKey(params.territory)?.level;
  // Fetch the map's code while the figures are on their way.
  useEffect(() => {
    if (level && MAP_LEVELS.has(level)) void loadMap();
  }, [level]);
  const query = useQuery({
    queryKey: indicatorKeys.dashboard(code, params),
    queryFn: () => indicatorsApi.dashboard(code, params),
    // While another period or group loads, the page stays (« Mise à jour… »); not for another
    // territory or indicator, whose figures must not be mistaken for the new ones.
    placeholderData: (previous, previousQuery) => {
      const [, previousCode, previousParams] = (previousQuery?.queryKey ?? []) as [
        string,
        string,
        IndicatorPageParams | undefined,
      ];
      return previousCode === code && previousParams?.territory === params.territory ? previous : undefined;
    },
  });

  const change = (next: Partial<IndicatorPageParams>) =>
    setSearchParams(new URLSearchParams(indicatorSearch({ ...params, ...next })), {
      preventScrollReset: true,
    });

  if (isNotFound(query.error)) {
    return (
      <NotFoundPage
        title="Indicateur ou territoire introuvable"
        message={query.error instanceof Error ? query.error.message : undefined}
      />
    );
  }
  if (query.isPending) return <IndicatorLoading />;
  if (query.isError) return <IndicatorError error={query.error} />;
  return (
    <IndicatorView
      dashboard={query.data}
      params={params}
      onChange={change}
      updating={query.isPlaceholderData}
    />
  );
}

function IndicatorLoading() {
  usePageTitle("Chargement de l'indicateur");
  return <Loading label="Chargement de l'indicateur…" />;
}

function IndicatorError({ error }: { error: unknown }) {
  usePageTitle("Erreur");
  return <ErrorAlert error={error} title="L'indicateur n'a pas pu être chargé" />;
}

function IndicatorView({
  dashboard,
  params,
  onChange,
  updating,
}: {
  dashboard: IndicatorDashboard;
  params: IndicatorPageParams;
  onChange: (next: Partial<IndicatorPageParams>) => void;
  updating: boolean;
}) {
  const { indicator, territory } = dashboard;
  const node = territory.node;
  const id = useId();
  usePageTitle(`${indicator.name} : ${node.name}`);
  // The page's own parameters with the period and group actually answered.
  const current: IndicatorPageParams = {
    territory: nodeKey(node),
    period: params.period ? dashboard.period : undefined,
    group: dashboard.group,
  };
  const answered: IndicatorPageParams = { ...current, period: dashboard.period };
  const ancestors = [...dashboard.ancestors].reverse();
  const childLevel = dashboard.children[0]?.node.level;
  const childrenTitle = childLevel ? CHILD_LEVEL_PLURALS[childLevel] : "Sous-territoires";
  const groupLabel = dashboard.groups.find((g) => g.key === dashboard.group)?.label;
  // School years with school years, months with months…
  const series = sameKindSeries(dashboard.series, dashboard.period);

  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: "/" }}
        segments={[
          { label: "Indicateurs", linkProps: { to: "/indicateurs" } },
          ...ancestors.map((ancestor) => ({
            label: ancestor.node.name,
            linkProps: {
              to: indicatorPath(indicator.code, { ...current, territory: nodeKey(ancestor.node) }),
            },
          })),
        ]}
        currentPageLabel={node.name}
      />
      <p className={fr.cx("fr-mb-1w", "fr-text--lg")}>
        Indicateur · {node.level === "nation" ? "France" : `${NODE_LEVEL_LABELS[node.level]} : ${node.name}`}
      </p>
      <h1>{indicator.name}</h1>
      <p className={fr.cx("fr-text--lead")}>{indicator.definition}</p>

      <form
        className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-mb-2w")}
        aria-label="Période et groupe d'établissements"
        onSubmit={(event) => event.preventDefault()}
      >
        <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
          <Select
            label="Période"
            nativeSelectProps={{
              id: `${id}-periode`,
              value: dashboard.period,
              onChange: (event) => onChange({ period: event.target.value }),
            }}
          >
            {(indicator.periods.includes(dashboard.period)
              ? indicator.periods
              : [dashboard.period, ...indicator.periods]
            ).map((period) => (
              <option key={period} value={period}>
                {periodLabel(period)}
              </option>
            ))}
          </Select>
        </div>
        {dashboard.groups.length > 1 ? (
          <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
            <Select
              label="Établissements"
              nativeSelectProps={{
                id: `${id}-groupe`,
                value: dashboard.group,
                onChange: (event) => onChange({ group: event.target.value }),
              }}
            >
              {dashboard.groups.map((group) => (
                <option key={group.key} value={group.key}>
                  {group.label}
                </option>
              ))}
            </Select>
          </div>
        ) : null}
        <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
          <p role="status" className={fr.cx("fr-text--sm", "fr-mt-4w", "fr-mb-0")}>
            {updating
              ? "Mise à jour…"
              : `${periodLabel(dashboard.period)}${groupLabel && dashboard.group ? ` · ${groupLabel}` : ""}`}
          </p>
        </div>
      </form>

      <Headline dashboard={dashboard} />
      <Comparisons dashboard={dashboard} />
      <ObjectivesSection dashboard={dashboard} headingId={`${id}-objectifs`} />

      <section className={fr.cx("fr-mt-6w")} aria-labelledby={`${id}-evolution`}>
        <h2 id={`${id}-evolution`}>Évolution</h2>
        {series.length === 0 ? (
          <p>Aucune période n'a de valeur pour ce territoire.</p>
        ) : (
          <TrendChart series={series} unit={indicator.unit} territoryName={node.name} />
        )}
      </section>

      {dashboard.children.length > 0 ? (
        <section className={fr.cx("fr-mt-6w")} aria-labelledby={`${id}-enfants`}>
          <h2 id={`${id}-enfants`}>
            {childrenTitle} ({dashboard.children.length})
          </h2>
          {MAP_LEVELS.has(node.level) ? (
            <Suspense fallback={<Loading label="Chargement de la carte…" />}>
              <ChildrenMap
                level={node.level}
                code={node.code}
                territoryName={nodePhrase(node)}
                childrenCells={dashboard.children}
                unit={indicator.unit}
                childrenTitle={childrenTitle}
              />
            </Suspense>
          ) : null}
          <ChildrenTable
            code={indicator.code}
            unit={indicator.unit}
            childrenCells={dashboard.children}
            title={`${childrenTitle} de ${node.name}, ${periodLabel(dashboard.period)}`}
            params={current}
          />
        </section>
      ) : null}

      <section className={fr.cx("fr-mt-6w")} aria-labelledby={`${id}-export`}>
        <h2 id={`${id}-export`}>Télécharger les données</h2>
        <p>
          {node.name} et {childrenTitle.toLowerCase()}, {periodLabel(dashboard.period)} : valeurs,
          numérateurs, dénominateurs, couverture et statut de chaque ligne. Les valeurs couvertes par le
          secret statistique restent masquées.
        </p>
        <ul className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
          <li>
            <a
              className={fr.cx("fr-btn", "fr-btn--secondary")}
              href={exportUrl(indicator.code, "csv", answered)}
              download
            >
              Télécharger en CSV
            </a>
          </li>
          <li>
            <a
              className={fr.cx("fr-btn", "fr-btn--secondary")}
              href={exportUrl(indicator.code, "xlsx", answered)}
              download
            >
              Télécharger en XLSX
            </a>
          </li>
        </ul>
        <p className={fr.cx("fr-text--sm")}>
          CSV : séparateur point-virgule, UTF-8 avec BOM. Description des colonnes :{" "}
          <a className={fr.cx("fr-link")} href={schemaUrl(indicator.code)}>
            schéma Table Schema (JSON)
          </a>
          .
        </p>
      </section>

      <Method dashboard={dashboard} />
    </>
  );
}

function Headline({ dashboard }: { dashboard: IndicatorDashboard }) {
  const { indicator, territory } = dashboard;
  const display = cellDisplay(territory, indicator.unit);
  return (
    <section className={fr.cx("fr-mt-4w")} aria-labelledby="valeur-titre">
      <h2 id="valeur-titre" className={fr.cx("fr-h4")}>
        Valeur {periodLabel(dashboard.period)}
      </h2>
      <div className="vigie-headline">
        <p className="vigie-headline__value" data-testid="valeur-principale">
          {display.text}
        </p>
        <p className={fr.cx("fr-mb-1w")}>
          <StatusTag cell={territory} />{" "}
          {display.kind === "secret" ? <span>{territory.statusLabel}</span> : null}
          {display.kind === "value" && display.restricted ? (
            <span>
              Valeur non publiée ({territory.statusLabel}), montrée parce que votre rôle couvre ce territoire.
            </span>
          ) : null}
        </p>
        <p className={fr.cx("fr-mb-1w")}>
          Couverture : <span data-testid="couverture">{formatCoverage(territory)}</span>
        </p>
        {territory.numerator !== null && territory.denominator !== null && shownNumbers(territory) ? (
          <p className={fr.cx("fr-text--sm", "fr-mb-0")}>
            Numérateur {formatNumber(territory.numerator)}, dénominateur {formatNumber(territory.denominator)}
            {indicator.factor !== 1 ? `, facteur ${formatNumber(indicator.factor)}` : ""}.
          </p>
        ) : null}
        <p className={fr.cx("fr-text--sm", "fr-mb-0")}>
          Objectif : les objectifs chiffrés et leur état (atteint, en bonne voie, en retard) figurent dans la{" "}
          <Link to="/feuilles-de-route">feuille de route</Link> du territoire.
        </p>
      </div>
    </section>
  );
}

function nodePagePath(node: IndicatorCell["node"]): string {
  return node.level === "school" ? schoolPath(node.code) : territoryPath(node.level, node.code);
}

function shownNumbers(cell: IndicatorCell): boolean {
  return cell.status === "published" || cell.restricted;
}

function Comparisons({ dashboard }: { dashboard: IndicatorDashboard }) {
  const { indicator, comparisons } = dashboard;
  const unit = indicator.unit;
  const parent = dashboard.ancestors[0];
  const rows: { key: string; title: string; against: string; comparison: typeof comparisons.parent }[] = [];
  if (parent && parent.node.level !== "nation") {
    rows.push({
      key: "parent",
      title: `Par rapport à ${nodePhrase(parent.node)}`,
      against: nodePhrase(parent.node),
      comparison: comparisons.parent,
    });
  }
  if (dashboard.territory.node.level !== "nation") {
    rows.push({
      key: "nation",
      title: "Par rapport à la France",
      against: "la France",
      comparison: comparisons.nation,
    });
  }
  rows.push({
    key: "previous",
    title: dashboard.previous
      ? `Par rapport à la période précédente (${dashboard.previous.period})`
      : "Par rapport à la période précédente",
    against: "la période précédente",
    comparison: comparisons.previousYear,
  });

  return (
    <section className={fr.cx("fr-mt-6w")} aria-labelledby="comparaisons-titre">
      <h2 id="comparaisons-titre">Comparaisons</h2>
      <ul className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-raw-list")}>
        {rows.map((row) => (
          <li key={row.key} className={fr.cx("fr-col-12", "fr-col-md-6", "fr-col-lg-3")}>
            <div className="vigie-card">
              <h3 className={fr.cx("fr-text--md", "fr-mb-1w")}>{row.title}</h3>
              {row.comparison && row.comparison.reference !== null ? (
                <>
                  <p className={fr.cx("fr-mb-1w")}>
                    Référence : {formatValue(row.comparison.reference, unit)}
                    {row.comparison.difference !== null
                      ? ` · écart ${formatDifference(row.comparison.difference, unit)}`
                      : ""}
                  </p>
                  <p className={fr.cx("fr-mb-0")}>
                    {row.comparison.verdict === null ? (
                      verdictSentence(null, row.against)
                    ) : (
                      <VerdictTag
                        verdict={row.comparison.verdict}
                        label={verdictSentence(row.comparison.verdict, row.against)}
                      />
                    )}
                  </p>
                </>
              ) : (
                <p className={fr.cx("fr-mb-0")}>Comparaison impossible : valeur manquante ou non publiée.</p>
              )}
            </div>
          </li>
        ))}
        <IpsPeersCard peers={comparisons.ipsPeers} level={dashboard.territory.node.level} unit={unit} />
        <li className={fr.cx("fr-col-12", "fr-col-md-6", "fr-col-lg-3")}>
          <div className="vigie-card">
            <h3 className={fr.cx("fr-text--md", "fr-mb-1w")}>Rang parmi les territoires voisins</h3>
            {comparisons.siblingsRank ? (
              <p className={fr.cx("fr-mb-0")}>
                {comparisons.siblingsRank.rank === 1 ? "1er" : `${comparisons.siblingsRank.rank}e`} sur{" "}
                {comparisons.siblingsRank.of}{" "}
                {CHILD_LEVEL_PLURALS[comparisons.siblingsRank.level].toLowerCase()} dont la valeur est publiée
                (1 = le meilleur).
              </p>
            ) : (
              <p className={fr.cx("fr-mb-0")}>Pas de rang : pas de territoire voisin comparable.</p>
            )}
          </div>
        </li>
      </ul>
      <p className={fr.cx("fr-text--sm")}>
        {indicator.direction === "higher_is_better"
          ? "Pour cet indicateur, une valeur plus élevée est meilleure."
          : indicator.direction === "lower_is_better"
            ? "Pour cet indicateur, une valeur plus basse est meilleure."
            : "Cet indicateur se lit par rapport à une cible : pas d'appréciation mieux / moins bien."}{" "}
        France : <CellValue cell={dashboard.nation} unit={unit} showReason={false} />.
      </p>
      {dashboard.schoolsAboveNational ? (
        <p>
          Établissements au-dessus de la valeur nationale :{" "}
          <strong>
            {dashboard.schoolsAboveNational.share === null
              ? "secret statistique"
              : formatValue(dashboard.schoolsAboveNational.share * 100, "%")}
          </strong>{" "}
          ({dashboard.schoolsAboveNational.count} sur {dashboard.schoolsAboveNational.of}).
        </p>
      ) : null}
      {dashboard.deciles && dashboard.deciles.length > 0 ? (
        <div className={fr.cx("fr-table", "fr-table--no-scroll")}>
          <div className="fr-table__wrapper">
            <div className="fr-table__container">
              <div className="fr-table__content">
                <table className="vigie-compact-table">
                  <caption>
                    Déciles des valeurs des établissements de {dashboard.territory.node.name} (10 % des
                    établissements ont une valeur inférieure au 1er décile…)
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Décile</th>
                      <th scope="col">Valeur</th>
                    </tr>
                  </thead>
                  <tbody>
                    {dashboard.deciles.map((value, i) => (
                      // biome-ignore lint/suspicious/noArrayIndexKey: the deciles are positional
                      <tr key={i}>
                        <th scope="row">{i === 0 ? "1er décile" : `${i + 1}e décile`}</th>
                        <td>{formatValue(value, unit)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        </div>
      ) : null}
    </section>
  );
}

function Method({ dashboard }: { dashboard: IndicatorDashboard }) {
  const { indicator, thresholds } = dashboard;
  return (
    <section className={fr.cx("fr-mt-6w")} aria-labelledby="methode-titre">
      <h2 id="methode-titre">Méthode et sources</h2>
      <ul>
        <li>
          Calcul : somme des numérateurs / somme des dénominateurs
          {indicator.factor !== 1 ? ` × ${formatNumber(indicator.factor)}` : ""}, à chaque niveau (jamais une
          moyenne de taux d'établissements). Unité : {indicator.unit || "sans unité"}.
        </li>
        {indicator.schoolRule ? <li>Règle par établissement : {indicator.schoolRule}</li> : null}
        <li>
          Sources :{" "}
          {indicator.sources.length === 0
            ? "non renseignées"
            : indicator.sources.map((source) => source.system).join(", ")}
          .
        </li>
        <li>
          Secret statistique : une valeur calculée sur moins de {thresholds.minUnits} établissements ou{" "}
          {thresholds.minPeople} personnes, ou dont un établissement représente plus de{" "}
          {formatNumber(thresholds.dominanceShare * 100)} %, est masquée, ainsi que celles qui permettraient
          de la retrouver par soustraction.
        </li>
      </ul>
      <p>
        <Link to={nodePagePath(dashboard.territory.node)}>
          Voir la page de {nodePhrase(dashboard.territory.node)}
        </Link>
        {" · "}
        <Link to="/indicateurs">Tous les indicateurs</Link>
      </p>
    </section>
  );
}
