import { fr } from "@codegouvfr/react-dsfr";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useQuery } from "@tanstack/react-query";
import { useId, useMemo } from "react";
import { Link, useSearchParams } from "react-router";
import type { IndicatorCatalogueItem } from "../../contracts/indicators.ts";
import { plural } from "../format.ts";
import { holds } from "../identity/permissions.ts";
import { useSession } from "../identity/useSession.ts";
import { ErrorAlert, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { HELD_VALUES_PATH } from "./HeldValuesPage.tsx";
import { indicatorKeys, indicatorsApi } from "./indicators-api.ts";
import { filterCatalogue, indicatorPath, periodLabel } from "./model.ts";

/** `/indicateurs`: the catalogue, with a search filter kept in the URL (`?q=`). */
export function CataloguePage() {
  usePageTitle("Indicateurs");
  const id = useId();
  const [searchParams, setSearchParams] = useSearchParams();
  const q = (searchParams.get("q") ?? "").slice(0, 100);
  const query = useQuery({ queryKey: indicatorKeys.catalogue, queryFn: indicatorsApi.catalogue });
  const items = useMemo(() => filterCatalogue(query.data?.items ?? [], q), [query.data, q]);

  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[]} currentPageLabel="Indicateurs" />
      <h1>Indicateurs</h1>
      <p className={fr.cx("fr-text--lead")}>
        Les indicateurs des feuilles de route, consolidés de l'établissement à la nation, avec leur couverture
        et le secret statistique.
      </p>
      <ReviewLink />
      <search aria-label="Filtrer les indicateurs">
        <Input
          label="Filtrer par nom, définition, unité ou source"
          hintText="Exemple : Pix, ENT, formation"
          nativeInputProps={{
            id: `${id}-q`,
            type: "search",
            value: q,
            maxLength: 100,
            autoComplete: "off",
            onChange: (event) => {
              const value = event.target.value;
              setSearchParams(value ? new URLSearchParams({ q: value }) : new URLSearchParams(), {
                replace: true,
                preventScrollReset: true,
              });
            },
          }}
        />
      </search>
      {query.isPending ? (
        <Loading label="Chargement des indicateurs…" />
      ) : query.isError ? (
        <ErrorAlert error={query.error} title="Les indicateurs n'ont pas pu être chargés" />
      ) : (
        <>
          <p role="status" className={fr.cx("fr-mt-2w")}>
            {q
              ? `${plural(items.length, "indicateur trouvé", "indicateurs trouvés")} sur ${query.data.items.length}`
              : plural(items.length, "indicateur")}
          </p>
          <ul className={fr.cx("fr-raw-list")}>
            {items.map((item) => (
              <li key={item.code} className={fr.cx("fr-mb-3w")}>
                <IndicatorCard item={item} />
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** For the users above the schools: the values held for review in their scope. */
function ReviewLink() {
  const { user } = useSession();
  if (!user || !holds(user, "indicators.review")) return null;
  return (
    <p>
      <Link
        to={HELD_VALUES_PATH}
        className={fr.cx("fr-link", "fr-icon-arrow-right-line", "fr-link--icon-right")}
      >
        Valeurs à vérifier dans votre périmètre
      </Link>
    </p>
  );
}

function IndicatorCard({ item }: { item: IndicatorCatalogueItem }) {
  const sources = item.sources.map((source) => source.system).filter(Boolean);
  const seeds = [...new Set(item.sources.flatMap((source) => source.refs.map((ref) => ref.seed)))];
  return (
    <article className="vigie-card">
      <h2 className={fr.cx("fr-h5", "fr-mb-1w")}>
        <Link to={indicatorPath(item.code)}>{item.name}</Link>
      </h2>
      <p className={fr.cx("fr-mb-1w")}>{item.definition}</p>
      <dl className={fr.cx("fr-text--sm", "fr-mb-0")}>
        <div>
          <dt style={{ display: "inline" }}>Unité : </dt>
          <dd style={{ display: "inline", margin: 0 }}>{item.unit || "sans unité"}</dd>
        </div>
        <div>
          <dt style={{ display: "inline" }}>Sources : </dt>
          <dd style={{ display: "inline", margin: 0 }}>
            {sources.length > 0 ? sources.join(", ") : "non renseignées"}
            {seeds.length > 0 ? ` (documents ${seeds.join(", ")})` : ""}
          </dd>
        </div>
        <div>
          <dt style={{ display: "inline" }}>Données : </dt>
          <dd style={{ display: "inline", margin: 0 }}>
            {item.periods.length > 0
              ? `${periodLabel(item.periods[0] as string)}${item.periods.length > 1 ? ` et ${plural(item.periods.length - 1, "période précédente", "périodes précédentes")}` : ""}`
              : "aucune valeur pour l'instant"}
          </dd>
        </div>
        <div>
          <dt style={{ display: "inline" }}>Code : </dt>
          <dd style={{ display: "inline", margin: 0 }}>{item.code}</dd>
        </div>
      </dl>
    </article>
  );
}
