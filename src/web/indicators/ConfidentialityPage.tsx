import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import type { ConfidentialityThresholds } from "../../contracts/confidentiality.ts";
import { request } from "../api.ts";
import { RequireUser } from "../identity/RequireUser.tsx";
import { ErrorAlert, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { SettingsForm } from "../ui/SettingsForm.tsx";
import type { SettingField, SettingsWording } from "../ui/settings-form.ts";
import { indicatorKeys } from "./indicators-api.ts";

const TITLE = "Secret statistique";

/** The contracts' one thresholds type (the server's too). */
type Thresholds = ConfidentialityThresholds;

/** The three thresholds, as people type them (the share in %), with the server's bounds. */
export const CONFIDENTIALITY_FIELDS: readonly SettingField<keyof Thresholds>[] = [
  {
    key: "minUnits",
    label: "Nombre minimal d'établissements",
    hint: "Une valeur calculée sur moins d'établissements est masquée.",
    min: 1,
    max: 100,
    factor: 1,
  },
  {
    key: "minPeople",
    label: "Nombre minimal de personnes",
    hint: "Une valeur portant sur moins d'élèves ou d'enseignants est masquée.",
    min: 1,
    max: 1000,
    factor: 1,
  },
  {
    key: "dominanceShare",
    label: "Part maximale d'un seul établissement (en %)",
    hint: "Une valeur dont un seul établissement apporte plus que cette part est masquée.",
    min: 51,
    max: 100,
    factor: 100,
  },
];

/** Fields `secret-<key>`. */
const WORDING: SettingsWording = { idPrefix: "secret" };
const load = () => request<Thresholds>("/api/v1/settings/confidentiality");
const save = (t: Thresholds) =>
  request<Thresholds & { cellsChanged: number }>("/api/v1/settings/confidentiality", {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(t),
  });

/** `/administration/secret-statistique`: the thresholds of the statistical confidentiality. */
export function ConfidentialityPage() {
  return (
    <RequireUser
      title={TITLE}
      permission="settings.manage"
      audience="Cette page est réservée aux administrateurs nationaux."
    >
      {() => <Confidentiality />}
    </RequireUser>
  );
}

function Confidentiality() {
  usePageTitle(TITLE);
  const query = useQuery({ queryKey: indicatorKeys.confidentiality, queryFn: load });
  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[]} currentPageLabel={TITLE} />
      <h1>{TITLE}</h1>
      <p>
        Les valeurs publiées par l'observatoire (pages, exports, API) ne doivent pas permettre de connaître la
        situation d'un établissement ou d'une personne. Une valeur trop petite ou dominée par un établissement
        est masquée, ainsi que les valeurs qui permettraient de la retrouver par soustraction. Les
        établissements et les équipes de pilotage voient leurs propres chiffres. Voir{" "}
        <Link to="/indicateurs">les indicateurs</Link>.
      </p>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : (
        <ThresholdsForm current={query.data} />
      )}
    </>
  );
}

function ThresholdsForm({ current }: { current: Thresholds }) {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: save,
    onSuccess: (next) => {
      queryClient.setQueryData(indicatorKeys.confidentiality, next);
      // Every figure's status may have changed.
      void queryClient.invalidateQueries({ queryKey: indicatorKeys.catalogue });
    },
  });
  return (
    <SettingsForm
      fields={CONFIDENTIALITY_FIELDS.map((f) => ({ ...f, hint: `${f.hint} De ${f.min} à ${f.max}.` }))}
      wording={WORDING}
      current={current}
      mutation={mutation}
      submitLabel="Enregistrer les seuils"
      failureTitle="Les seuils n'ont pas pu être enregistrés"
      savedMessage={(saved) => `Seuils enregistrés : ${saved.cellsChanged} valeurs ont changé de statut.`}
    />
  );
}
