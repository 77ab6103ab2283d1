import { fr } from "@codegouvfr/react-dsfr";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { useQuery } from "@tanstack/react-query";
import { useParams } from "react-router";
import type { TemplateDetail } from "../../contracts/roadmaps-api.ts";
import { isNotFound } from "../api.ts";
import { NotFoundPage } from "../layout/NotFoundPage.tsx";
import { ErrorAlert, errorMessage, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { RollupSummary } from "../ui/StatusBadge.tsx";
import { territoryText } from "./labels.ts";
import { ObjectivesTable } from "./ObjectivesTable.tsx";
import { CreateRoadmapForm } from "./RoadmapsPage.tsx";
import { RoadmapTree } from "./RoadmapTree.tsx";
import { roadmapKeys, roadmapsApi } from "./roadmaps-api.ts";

/** `/feuilles-de-route/modeles/:templateId`: a template shown like a roadmap, and creation from it. */
export function TemplatePage() {
  const id = useParams().templateId ?? "";
  const query = useQuery({
    queryKey: roadmapKeys.template(id),
    queryFn: () => roadmapsApi.template(id),
  });
  if (isNotFound(query.error))
    return <NotFoundPage title="Modèle introuvable" message={errorMessage(query.error)} />;
  if (query.isPending) return <Loading label="Chargement du modèle…" />;
  if (query.isError) return <ErrorAlert error={query.error} title="Le modèle n'a pas pu être chargé" />;
  return <TemplateView template={query.data} />;
}

function TemplateView({ template }: { template: TemplateDetail }) {
  const title = `Modèle : ${template.shortTitle}`;
  usePageTitle(title);
  const list = useQuery({ queryKey: roadmapKeys.all, queryFn: roadmapsApi.list });
  const { document, evaluation } = template;
  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Feuilles de route", linkProps: { to: "/feuilles-de-route" } }]}
        currentPageLabel={title}
      />
      <h1>{template.title}</h1>
      <p>
        Modèle écrit par le projet à partir du document « {document.sourceDocument?.title ?? template.title} »
        ({document.sourceDocument?.publisher ?? template.authority}) · {territoryText(template.territory)} ·{" "}
        {template.period.label}
      </p>
      <p>{document.summary}</p>
      <section aria-labelledby="etat-titre" className={fr.cx("fr-mt-4w")}>
        <h2 id="etat-titre">État des objectifs du document</h2>
        <RollupSummary rollup={evaluation.roadmap} label="Modèle" />
      </section>
      <section aria-labelledby="arbre-titre" className={fr.cx("fr-mt-6w")}>
        <h2 id="arbre-titre">Ambitions, cibles et objectifs</h2>
        <RoadmapTree document={document} evaluation={evaluation} />
      </section>
      <section aria-labelledby="tableau-titre" className={fr.cx("fr-mt-6w")}>
        <h2 id="tableau-titre">Tableau des objectifs</h2>
        <ObjectivesTable
          document={document}
          evaluation={evaluation}
          caption={`Objectifs chiffrés du modèle « ${template.shortTitle} » et leur état`}
        />
      </section>
      {list.data && list.data.manageableScopes.length > 0 ? (
        <CreateRoadmapForm list={list.data} templateId={template.id} />
      ) : null}
    </>
  );
}
