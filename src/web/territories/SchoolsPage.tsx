import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { SchoolList } from "./SchoolList.tsx";

/** `/etablissements`: every school known to Vigie. */
export function SchoolsPage() {
  usePageTitle("Établissements");
  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[]} currentPageLabel="Établissements" />
      <h1>Établissements</h1>
      <p className="fr-text--lead">
        Recherchez un établissement scolaire par son UAI ou son nom, puis affinez la liste par type, secteur,
        éducation prioritaire et état.
      </p>
      <SchoolList scopeLabel="tous territoires" />
    </>
  );
}
