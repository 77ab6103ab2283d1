import { fr } from "@codegouvfr/react-dsfr";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router";
import type { FormsList } from "../../contracts/collection-forms.ts";
import { formatDate, formatInteger } from "../format.ts";
import { RequireUser } from "../identity/RequireUser.tsx";
import { ErrorAlert, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { SelectInput } from "./EditorInputs.tsx";
import { formKeys, formsApi } from "./forms-api.ts";

const TITLE = "Formulaires de collecte";

/** `/collecte/formulaires`: the forms DANEs saved, and a new one, blank or from a shipped template. */
export function FormsPage() {
  return (
    <RequireUser title={TITLE} audience="Les formulaires de collecte sont réservés aux DANE.">
      {() => <Forms />}
    </RequireUser>
  );
}

function Forms() {
  usePageTitle(TITLE);
  const query = useQuery({ queryKey: formKeys.list, queryFn: formsApi.list });
  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Campagnes de collecte", linkProps: { to: "/collecte" } }]}
        currentPageLabel="Formulaires"
      />
      <h1>{TITLE}</h1>
      <p>
        Un formulaire rassemble les champs qu'un établissement remplit, en sections, avec les règles qui
        contrôlent ses réponses. Chaque enregistrement d'un formulaire modifié en fait une nouvelle version ;
        une campagne en cours garde la sienne.
      </p>
      {query.isPending ? (
        <Loading label="Chargement des formulaires…" />
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : (
        <>
          <NewForm templates={query.data.templates} />
          {query.data.items.length === 0 ? (
            <p>Aucun formulaire enregistré pour l'instant.</p>
          ) : (
            <FormTable items={query.data.items} />
          )}
        </>
      )}
    </>
  );
}

function NewForm({ templates }: { templates: FormsList["templates"] }) {
  const navigate = useNavigate();
  const [start, setStart] = useState("");
  return (
    <form
      className={fr.cx("fr-mb-4w")}
      onSubmit={(e) => {
        e.preventDefault();
        navigate(
          start
            ? `/collecte/formulaires/nouveau?modele=${encodeURIComponent(start)}`
            : "/collecte/formulaires/nouveau",
        );
      }}
    >
      <fieldset className={fr.cx("fr-fieldset")}>
        <legend className={fr.cx("fr-fieldset__legend")}>Nouveau formulaire</legend>
        <SelectInput
          id="nouveau-depart"
          label="Point de départ"
          value={start}
          options={[
            { value: "", label: "Formulaire vierge" },
            ...templates.map((t) => ({
              value: t.code,
              label: `À partir du modèle « ${t.title} » (${t.fields} champs, ${t.rules} règles)`,
            })),
          ]}
          onChange={setStart}
        />
        <button type="submit" className={fr.cx("fr-btn")}>
          Nouveau formulaire
        </button>
      </fieldset>
    </form>
  );
}

function FormTable({ items }: { items: FormsList["items"] }) {
  return (
    <DataTable
      caption={`Formulaires enregistrés (${items.length})`}
      head={
        <tr>
          <th scope="col">Formulaire</th>
          <th scope="col">Territoire</th>
          <th scope="col">Version</th>
          <th scope="col">Champs, règles</th>
          <th scope="col">Enregistré</th>
          <th scope="col">Campagnes en cours</th>
        </tr>
      }
    >
      {items.map((f) => (
        <tr key={f.code}>
          <td>
            {f.editable ? (
              <Link to={`/collecte/formulaires/${encodeURIComponent(f.code)}/edition`}>{f.title}</Link>
            ) : (
              f.title
            )}
            <br />
            <span className={fr.cx("fr-text--xs")}>{f.code}</span>
          </td>
          <td>{f.territoryLabel}</td>
          <td>
            {f.version} (sur {f.versions})
          </td>
          <td>
            {formatInteger(f.fields)} champs, {formatInteger(f.rules)} règles
          </td>
          <td>
            {formatDate(f.savedAt.slice(0, 10))} par {f.savedBy}
          </td>
          <td>
            {f.activeCampaigns}
            {f.activeCampaignsOnOlderVersion > 0
              ? ` (dont ${f.activeCampaignsOnOlderVersion} sur une version précédente)`
              : ""}
          </td>
        </tr>
      ))}
    </DataTable>
  );
}
