import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { HeldDecision, HeldValue } from "../../contracts/indicators.ts";
import { formatDate, formatInteger, plural } from "../format.ts";
import { RequireUser } from "../identity/RequireUser.tsx";
import { ErrorAlert, errorMessage, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { DataTable } from "../ui/DataTable.tsx";
import { indicatorKeys, indicatorsApi } from "./indicators-api.ts";

const TITLE = "Valeurs à vérifier";

export const HELD_VALUES_PATH = "/indicateurs/valeurs-a-verifier";

const SOURCE_LABELS: Record<HeldValue["source"], string> = {
  form: "formulaire",
  import: "import de fichier",
  api: "API",
  demo: "démonstration",
};

/**
 * `/indicateurs/valeurs-a-verifier`: the values held as implausible in the reader's scope (users
 * above the school: permission `indicators.review`), each accepted (published) or rejected
 * (deleted) here.
 */
export function HeldValuesPage() {
  return (
    <RequireUser
      title={TITLE}
      segments={[{ label: "Indicateurs", linkProps: { to: "/indicateurs" } }]}
      permission="indicators.review"
      audience="Cette page est réservée aux équipes de pilotage au-dessus des établissements (circonscription ou bassin, département, académie, région académique, nation)."
    >
      {() => <HeldValues />}
    </RequireUser>
  );
}

function HeldValues() {
  usePageTitle(TITLE);
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: indicatorKeys.heldValues, queryFn: indicatorsApi.heldValues });
  const [done, setDone] = useState<string | null>(null);
  const decide = useMutation({
    mutationFn: ({ value, decision }: { value: HeldValue; decision: HeldDecision }) =>
      indicatorsApi.decideHeldValue(value, decision),
    onSuccess: async (_, { value, decision }) => {
      setDone(
        decision === "accept"
          ? `Valeur acceptée pour ${value.schoolName} (${value.dataElementName}, ${value.period}) : elle est publiée et les indicateurs sont à jour.`
          : `Valeur rejetée pour ${value.schoolName} (${value.dataElementName}, ${value.period}) : elle est supprimée ; l'établissement peut la saisir à nouveau.`,
      );
      await queryClient.invalidateQueries({ queryKey: indicatorKeys.heldValues });
    },
  });
  return (
    <>
      <Breadcrumb
        homeLinkProps={{ to: "/" }}
        segments={[{ label: "Indicateurs", linkProps: { to: "/indicateurs" } }]}
        currentPageLabel={TITLE}
      />
      <h1>{TITLE}</h1>
      <p>
        Une valeur d'établissement plus de dix fois supérieure au 9<sup>e</sup> décile des valeurs des autres
        établissements de l'académie (même élément, même période) est retenue : elle n'entre dans aucun
        indicateur tant qu'elle n'a pas été vérifiée. Acceptez-la si elle est juste (elle est alors publiée),
        rejetez-la sinon (elle est supprimée et l'établissement la saisit à nouveau).
      </p>
      <div role="status">{done ? <Alert severity="success" small description={done} /> : null}</div>
      {decide.isError ? (
        <Alert
          className={fr.cx("fr-my-2w")}
          severity="error"
          title="La décision n'a pas été enregistrée"
          description={errorMessage(decide.error)}
        />
      ) : null}
      {query.isPending ? (
        <Loading label="Chargement des valeurs à vérifier…" />
      ) : query.isError ? (
        <ErrorAlert error={query.error} title="Les valeurs à vérifier n'ont pas pu être chargées" />
      ) : query.data.total === 0 ? (
        <p>Aucune valeur à vérifier dans votre périmètre.</p>
      ) : (
        <DataTable
          caption={`Valeurs retenues dans votre périmètre : ${plural(query.data.total, "valeur")}${query.data.total > query.data.items.length ? ` (les ${formatInteger(query.data.items.length)} plus anciennes)` : ""}`}
          head={
            <tr>
              <th scope="col">Établissement</th>
              <th scope="col">Élément de donnée</th>
              <th scope="col">Période</th>
              <th scope="col">Valeur</th>
              <th scope="col">Limite de vraisemblance</th>
              <th scope="col">Reçue le</th>
              <th scope="col">Décision</th>
            </tr>
          }
        >
          {query.data.items.map((v) => {
            const what = `${v.schoolName}, ${v.dataElementName}, ${v.period}`;
            return (
              <tr key={`${v.uai}|${v.dataElement}|${v.period}|${v.disaggregation}`}>
                <td>
                  {v.schoolName} <span className={fr.cx("fr-text--xs")}>({v.uai})</span>
                </td>
                <td>
                  {v.dataElementName}
                  {v.disaggregation ? ` (${v.disaggregation})` : ""}
                </td>
                <td>{v.period}</td>
                <td>{formatInteger(v.value)}</td>
                <td>{v.limit === null ? "—" : formatInteger(v.limit)}</td>
                <td>
                  {formatDate(v.updatedAt)} ({SOURCE_LABELS[v.source]})
                </td>
                <td>
                  <ul className={fr.cx("fr-btns-group", "fr-btns-group--sm", "fr-btns-group--inline")}>
                    <li>
                      <Button
                        size="small"
                        disabled={decide.isPending}
                        nativeButtonProps={{ "aria-label": `Accepter : ${what}` }}
                        onClick={() => decide.mutate({ value: v, decision: "accept" })}
                      >
                        Accepter
                      </Button>
                    </li>
                    <li>
                      <Button
                        size="small"
                        priority="secondary"
                        disabled={decide.isPending}
                        nativeButtonProps={{ "aria-label": `Rejeter : ${what}` }}
                        onClick={() => decide.mutate({ value: v, decision: "reject" })}
                      >
                        Rejeter
                      </Button>
                    </li>
                  </ul>
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </>
  );
}
