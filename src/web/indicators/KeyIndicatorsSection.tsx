import "./indicators.css";
import { fr } from "@codegouvfr/react-dsfr";
import { Notice } from "@codegouvfr/react-dsfr/Notice";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { Link } from "react-router";
import type { KeyIndicators } from "../../contracts/indicators.ts";
import { ApiError } from "../api.ts";
import { ErrorAlert, Loading } from "../layout/QueryState.tsx";
import { CellValue, VerdictTag } from "./cells.tsx";
import { IpsPeersLine } from "./IpsPeers.tsx";
import { indicatorKeys, indicatorsApi } from "./indicators-api.ts";
import {
  formatCoverage,
  formatDifference,
  indicatorPath,
  nodeKey,
  periodLabel,
  shownValue,
  verdictOf,
  verdictSentence,
} from "./model.ts";

type Item = KeyIndicators["items"][number];

/**
 * « Indicateurs clés » of a territory page, or « Indicateurs de l'établissement » of a school page:
 * value, coverage and comparison with the nation, each linking to the indicator page.
 */
export function KeyIndicatorsSection({
  level,
  code,
  title,
}: {
  level: string;
  code: string;
  title?: string;
}) {
  const id = useId();
  const isSchool = level === "school";
  const query = useQuery({
    queryKey: indicatorKeys.keyIndicators(level, code),
    queryFn: () => (isSchool ? indicatorsApi.school(code) : indicatorsApi.territory(level, code)),
    retry: (count, error) => !(error instanceof ApiError && error.status === 404) && count < 2,
  });
  const heading = title ?? (isSchool ? "Indicateurs de l'établissement" : "Indicateurs clés");

  return (
    <section className={fr.cx("fr-mt-6w")} aria-labelledby={`${id}-titre`}>
      <h2 id={`${id}-titre`}>{heading}</h2>
      {query.isPending ? (
        <Loading label="Chargement des indicateurs…" />
      ) : query.isError ? (
        query.error instanceof ApiError && query.error.status === 404 ? (
          <p>Aucun indicateur n'est disponible ici pour l'instant.</p>
        ) : (
          <ErrorAlert error={query.error} title="Les indicateurs n'ont pas pu être chargés" />
        )
      ) : (
        <KeyIndicatorsTable data={query.data} isSchool={isSchool} />
      )}
    </section>
  );
}

function KeyIndicatorsTable({ data, isSchool }: { data: KeyIndicators; isSchool: boolean }) {
  if (data.items.length === 0 || data.period === null) {
    return <p>Aucune valeur d'indicateur n'est encore disponible ici.</p>;
  }
  const restricted = data.items.some((item) => item.cell.restricted && item.cell.status !== "published");
  const period = data.period;
  return (
    <>
      {isSchool && restricted ? (
        <Notice
          className={fr.cx("fr-mb-2w")}
          title="Données de votre établissement, non publiées : certaines valeurs ci-dessous sont couvertes par le secret statistique et ne sont montrées qu'aux personnes de l'établissement."
        />
      ) : null}
      <p className={fr.cx("fr-text--sm")}>
        {periodLabel(period)} · {data.node.name}
      </p>
      <ul className={fr.cx("fr-grid-row", "fr-grid-row--gutters", "fr-raw-list")}>
        {data.items.map((item) => (
          <li key={item.indicator.code} className={fr.cx("fr-col-12", "fr-col-md-6", "fr-col-lg-4")}>
            <KeyIndicatorCard item={item} data={data} isSchool={isSchool} />
          </li>
        ))}
      </ul>
    </>
  );
}

function KeyIndicatorCard({ item, data, isSchool }: { item: Item; data: KeyIndicators; isSchool: boolean }) {
  const { indicator, cell, nation } = item;
  const value = shownValue(cell);
  const reference = shownValue(nation);
  const verdict = verdictOf(indicator.direction, value, reference);
  const link = indicatorPath(indicator.code, {
    territory: nodeKey(data.node),
    period: data.period ?? undefined,
  });
  return (
    <article className="vigie-card">
      <h3 className={fr.cx("fr-text--md", "fr-mb-1w")}>
        <Link to={link}>{indicator.name}</Link>
      </h3>
      <p className={fr.cx("fr-h4", "fr-mb-1w")}>
        <CellValue
          cell={cell}
          unit={indicator.unit}
          restrictedNote={isSchool ? "données de votre établissement, non publiées" : undefined}
        />
      </p>
      {isSchool ? null : (
        <p className={fr.cx("fr-text--sm", "fr-mb-1w")}>Couverture : {formatCoverage(cell)}</p>
      )}
      {data.node.level === "nation" ? null : (
        <p className={fr.cx("fr-text--sm", "fr-mb-0")}>
          France : <CellValue cell={nation} unit={indicator.unit} showReason={false} />
          {value !== null && reference !== null ? (
            <>
              {" "}
              · écart {formatDifference(value - reference, indicator.unit)}{" "}
              <VerdictTag verdict={verdict} decorative />{" "}
              <span className="fr-sr-only">{verdictSentence(verdict, "la France")}</span>
            </>
          ) : null}
        </p>
      )}
      {data.node.level === "nation" ? null : <IpsPeersLine peers={item.ipsPeers} unit={indicator.unit} />}
    </article>
  );
}
