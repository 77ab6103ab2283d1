import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import type { RetentionSettingsDto, RetentionState } from "../../contracts/personal-data.ts";
import { formatInteger } from "../format.ts";
import { ErrorAlert, errorMessage, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { type FieldError, FormErrorSummary } from "../ui/FormErrorSummary.tsx";
import { formatDateTime } from "./format-time.ts";
import { identityApi } from "./identity-api.ts";
import { RequireUser } from "./RequireUser.tsx";

const TITLE = "Durées de conservation";

/** The four settings, their French label and their bounds (the server's RETENTION_BOUNDS). */
export const RETENTION_FIELDS: readonly {
  key: keyof RetentionSettingsDto;
  label: string;
  hint: string;
  min: number;
  max: number;
}[] = [
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

const fieldId = (key: string) => `conservation-${key}`;

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
  const query = useQuery({ queryKey: ["settings", "retention"], queryFn: identityApi.retention });
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
  const [draft, setDraft] = useState<Record<string, string>>(() =>
    Object.fromEntries(RETENTION_FIELDS.map((f) => [f.key, String(state.settings[f.key])])),
  );
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [submits, setSubmits] = useState(0);
  const savedRef = useRef<HTMLDivElement>(null);
  const save = useMutation({
    mutationFn: (settings: RetentionSettingsDto) => identityApi.saveRetention(settings),
    onSuccess: (next) => queryClient.setQueryData(["settings", "retention"], next),
  });
  useEffect(() => {
    if (save.isSuccess) savedRef.current?.focus();
  }, [save.isSuccess]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldError[] = [];
    const values: Partial<RetentionSettingsDto> = {};
    for (const f of RETENTION_FIELDS) {
      const text = (draft[f.key] ?? "").trim();
      const value = Number(text);
      if (text === "" || !Number.isInteger(value) || value < f.min || value > f.max) {
        found.push({
          fieldId: fieldId(f.key),
          label: f.label,
          message: `saisissez un nombre entier de jours entre ${formatInteger(f.min)} et ${formatInteger(f.max)}.`,
        });
      } else {
        values[f.key] = value;
      }
    }
    setErrors(found);
    setSubmits((n) => n + 1);
    save.reset();
    if (found.length === 0) save.mutate(values as RetentionSettingsDto);
  };

  return (
    <>
      {save.isSuccess ? (
        <div ref={savedRef} tabIndex={-1} className={fr.cx("fr-mb-4w")}>
          <Alert
            severity="success"
            small
            description="Durées de conservation enregistrées. La prochaine purge les appliquera."
          />
        </div>
      ) : null}
      <FormErrorSummary
        title={
          save.isError ? "Les durées n'ont pas pu être enregistrées" : "Le formulaire contient des erreurs"
        }
        errors={errors}
        general={save.isError ? errorMessage(save.error) : null}
        focusKey={submits}
      />
      <form onSubmit={submit} noValidate>
        {RETENTION_FIELDS.map((f) => {
          const error = errors.find((e) => e.fieldId === fieldId(f.key));
          return (
            <Input
              key={f.key}
              label={`${f.label} (en jours)`}
              hintText={`${f.hint} Valeur par défaut : ${formatInteger(state.defaults[f.key])} jours ; de ${formatInteger(f.min)} à ${formatInteger(f.max)}.`}
              state={error ? "error" : "default"}
              stateRelatedMessage={
                error
                  ? `Saisissez un nombre entier entre ${formatInteger(f.min)} et ${formatInteger(f.max)}.`
                  : undefined
              }
              nativeInputProps={{
                id: fieldId(f.key),
                name: f.key,
                type: "number",
                inputMode: "numeric",
                min: f.min,
                max: f.max,
                step: 1,
                required: true,
                value: draft[f.key] ?? "",
                onChange: (event) => setDraft((d) => ({ ...d, [f.key]: event.target.value })),
              }}
            />
          );
        })}
        <Button type="submit" iconId="fr-icon-save-line" disabled={save.isPending}>
          Enregistrer les durées
        </Button>
      </form>
      <p className={fr.cx("fr-text--sm", "fr-mt-3w")}>
        {(save.data ?? state).updatedAt
          ? `Dernière modification : ${formatDateTime((save.data ?? state).updatedAt)}${(save.data ?? state).updatedBy ? ` par ${(save.data ?? state).updatedBy}` : ""}.`
          : "Les valeurs par défaut s'appliquent : aucune modification enregistrée."}
      </p>
    </>
  );
}
