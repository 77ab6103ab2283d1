import { fr } from "@codegouvfr/react-dsfr";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { useQuery } from "@tanstack/react-query";
import { useParams } from "react-router";
import type { TerritoryDetail, TerritoryLevel } from "../../contracts/territories.ts";
import { api, isNotFound, territoryKeys } from "../api.ts";
import { KeyIndicatorsSection } from "../indicators/KeyIndicatorsSection.tsx";
import { NotFoundPage } from "../layout/NotFoundPage.tsx";
import { ErrorAlert, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { KeyFigures } from "./KeyFigures.tsx";
import { isSubNationLevel, levelLabel, territoryFilter, territoryPath } from "./paths.ts";
import { SchoolList } from "./SchoolList.tsx";
import { TerritoryChildren } from "./TerritoryChildren.tsx";

/** `/territoires` (the nation) and `/territoires/:level/:code`. */
export function TerritoryPage() {
  const params = useParams();
  const level: TerritoryLevel | undefined =
    params.level === undefined ? "nation" : isSubNationLevel(params.level) ? params.level : undefined;
  const code = params.level === undefined ? "FR" : (params.code ?? "");

  const query = useQuery({
    queryKey: territoryKeys.territory(level, code),
    queryFn: () => api.territory(level as TerritoryLevel, code),
    enabled: level !== undefined,
  });

  if (level === undefined || isNotFound(query.error)) {
    return (
      <NotFoundPage
        title="Territoire introuvable"
        message={
          query.error instanceof Error
            ? query.error.message
            : "Ce niveau de territoire n'existe pas dans Vigie."
        }
      />
    );
  }
  if (query.isPending) return <TerritoryLoading />;
  if (query.isError) return <TerritoryError error={query.error} />;
  return <TerritoryView territory={query.data} />;
}

function TerritoryLoading() {
  usePageTitle("Chargement du territoire");
  return <Loading label="Chargement du territoire…" />;
}

function TerritoryError({ error }: { error: unknown }) {
  usePageTitle("Erreur");
  return <ErrorAlert error={error} title="Le territoire n'a pas pu être chargé" />;
}

function TerritoryView({ territory }: { territory: TerritoryDetail }) {
  const kind = levelLabel(territory.level, territory.districtKind);
  const title =
    territory.level === "nation" ? `Territoires : ${territory.name}` : `${kind} : ${territory.name}`;
  usePageTitle(title);

  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: "/" }}
        segments={territory.ancestors.map((ancestor) => ({
          label: ancestor.name,
          linkProps: { to: territoryPath(ancestor.level, ancestor.code) },
        }))}
        currentPageLabel={territory.name}
      />
      <p className={fr.cx("fr-mb-1w", "fr-text--lg")}>{territory.level === "nation" ? "Nation" : kind}</p>
      <h1>{territory.name}</h1>

      <KeyFigures territory={territory} />
      <KeyIndicatorsSection level={territory.level} code={territory.code} />
      <TerritoryChildren territory={territory} />

      <section className={fr.cx("fr-mt-6w")} aria-labelledby="etablissements-titre">
        <h2 id="etablissements-titre">Établissements</h2>
        <SchoolList
          territory={territoryFilter(territory.level, territory.code)}
          scopeLabel={territory.level === "nation" ? "France" : `${kind} : ${territory.name}`}
        />
      </section>
    </>
  );
}
