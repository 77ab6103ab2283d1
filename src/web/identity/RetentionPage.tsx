import { fr } from "@codegouvfr/react-dsfr";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "react-router";
import type { RetentionSettingsDto, RetentionState } from "../../contracts/personal-data.ts";
import { formatInteger } from "../format.ts";
import { ErrorAlert, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { SettingsForm } from "../ui/SettingsForm.tsx";
import type { SettingField, SettingsWording } from "../ui/settings-form.ts";
import { formatDateTime } from "./format-time.ts";
import { identityApi, identityKeys } from "./identity-api.ts";
import { RequireUser } from "./RequireUser.tsx";

const TITLE = "Durées de conservation";

/** The four settings, their French label and their bounds (the server's RETENTION_BOUNDS). */
export const RETENTION_FIELDS: readonly SettingField<keyof RetentionSettingsDto>[] = [
  {
    key: "auditEventsDays",
    label: "Journal d'audit",
    hint: "Chaque événement est supprimé ce nombre de jours après avoir été enregistré.",
    min: 30,
    max: 3650,
  },
  {
    key: "expiredSessionsDays",
    label: "Sessions expirées",
    hint: "Une session (adresse IP, navigateur) est supprimée ce nombre de jours après son expiration.",
    min: 1,
    max: 3650,
  },
  {
    key: "usedTokensDays",
    label: "Liens d'invitation et de réinitialisation",
    hint: "Un lien est supprimé ce nombre de jours après avoir servi ou expiré.",
    min: 1,
    max: 3650,
  },
  {
    key: "closedRequestsDays",
    label: "Demandes sur les données personnelles",
    hint: "Une demande traitée ou refusée (preuve de sa prise en charge) est supprimée ce nombre de jours après sa clôture.",
    min: 30,
    max: 3650,
  },
];

/** Fields `conservation-<key>`, in days, the bounds written « 3 650 ». */
const WORDING: SettingsWording = { idPrefix: "conservation", unit: "jours", formatNumber: formatInteger };

/** `/administration/conservation`: the retention periods (national administrators). */
export function RetentionPage() {
  return (
    <RequireUser
      title={TITLE}
      permission="settings.manage"
      audience="Cette page est réservée aux administrateurs nationaux."
    >
      {() => <Retention />}
    </RequireUser>
  );
}

function Retention() {
  usePageTitle(TITLE);
  const query = useQuery({ queryKey: identityKeys.retention, queryFn: identityApi.retention });
  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[]} currentPageLabel={TITLE} />
      <h1>{TITLE}</h1>
      <p>
        Vigie supprime chaque jour les données personnelles dont la durée de conservation est dépassée (et au
        démarrage du serveur ; la commande <code>vigie purge</code> le fait à la demande). Les durées sont en
        jours. Elles figurent dans le <Link to="/registre-des-traitements">registre des traitements</Link> :
        fixez-les avec votre délégué à la protection des données.
      </p>
      {query.isPending ? (
        <Loading />
      ) : query.isError ? (
        <ErrorAlert error={query.error} />
      ) : (
        <RetentionForm state={query.data} />
      )}
    </>
  );
}

function RetentionForm({ state }: { state: RetentionState }) {
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (settings: RetentionSettingsDto) => identityApi.saveRetention(settings),
    onSuccess: (next) => queryClient.setQueryData(identityKeys.retention, next),
  });
  const fields = RETENTION_FIELDS.map((f) => ({
    ...f,
    hint: `${f.hint} Valeur par défaut : ${formatInteger(state.defaults[f.key])} jours ; de ${formatInteger(f.min)} à ${formatInteger(f.max)}.`,
  }));
  const shown = save.data ?? state;
  return (
    <>
      <SettingsForm
        fields={fields}
        wording={WORDING}
        current={state.settings}
        mutation={save}
        submitLabel="Enregistrer les durées"
        failureTitle="Les durées n'ont pas pu être enregistrées"
        savedMessage={() => "Durées de conservation enregistrées. La prochaine purge les appliquera."}
      />
      <p className={fr.cx("fr-text--sm", "fr-mt-3w")}>
        {shown.updatedAt
          ? `Dernière modification : ${formatDateTime(shown.updatedAt)}${shown.updatedBy ? ` par ${shown.updatedBy}` : ""}.`
          : "Les valeurs par défaut s'appliquent : aucune modification enregistrée."}
      </p>
    </>
  );
}
