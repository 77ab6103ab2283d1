import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import { request } from "../api.ts";
import { RequireUser } from "../identity/RequireUser.tsx";
import { ErrorAlert, errorMessage, Loading } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { type FieldError, FormErrorSummary } from "../ui/FormErrorSummary.tsx";

const TITLE = "Secret statistique";

interface Thresholds {
  minUnits: number;
  minPeople: number;
  dominanceShare: number;
}

/** The three thresholds, as people type them (the share in %), with the server's bounds. */
export const CONFIDENTIALITY_FIELDS: readonly {
  key: keyof Thresholds;
  label: string;
  hint: string;
  min: number;
  max: number;
  /** Stored value → typed value (the dominance share is typed in %). */
  factor: number;
}[] = [
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

const fieldId = (key: string) => `secret-${key}`;
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
  const query = useQuery({ queryKey: ["settings", "confidentiality"], queryFn: load });
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
  const [draft, setDraft] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      CONFIDENTIALITY_FIELDS.map((f) => [f.key, String(Math.round(current[f.key] * f.factor))]),
    ),
  );
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [submits, setSubmits] = useState(0);
  const savedRef = useRef<HTMLDivElement>(null);
  const mutation = useMutation({
    mutationFn: save,
    onSuccess: (next) => {
      queryClient.setQueryData(["settings", "confidentiality"], next);
      // Every figure's status may have changed.
      void queryClient.invalidateQueries({ queryKey: ["indicators"] });
    },
  });
  useEffect(() => {
    if (mutation.isSuccess) savedRef.current?.focus();
  }, [mutation.isSuccess]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: FieldError[] = [];
    const values: Partial<Thresholds> = {};
    for (const f of CONFIDENTIALITY_FIELDS) {
      const text = (draft[f.key] ?? "").trim();
      const typed = Number(text);
      if (text === "" || !Number.isInteger(typed) || typed < f.min || typed > f.max) {
        found.push({
          fieldId: fieldId(f.key),
          label: f.label,
          message: `saisissez un nombre entier entre ${f.min} et ${f.max}.`,
        });
      } else {
        values[f.key] = typed / f.factor;
      }
    }
    setErrors(found);
    setSubmits((n) => n + 1);
    mutation.reset();
    if (found.length === 0) mutation.mutate(values as Thresholds);
  };

  return (
    <>
      {mutation.isSuccess ? (
        <div ref={savedRef} tabIndex={-1} className={fr.cx("fr-mb-4w")}>
          <Alert
            severity="success"
            small
            description={`Seuils enregistrés : ${mutation.data.cellsChanged} valeurs ont changé de statut.`}
          />
        </div>
      ) : null}
      <FormErrorSummary
        title={
          mutation.isError ? "Les seuils n'ont pas pu être enregistrés" : "Le formulaire contient des erreurs"
        }
        errors={errors}
        general={mutation.isError ? errorMessage(mutation.error) : null}
        focusKey={submits}
      />
      <form onSubmit={submit} noValidate>
        {CONFIDENTIALITY_FIELDS.map((f) => {
          const error = errors.find((e) => e.fieldId === fieldId(f.key));
          return (
            <Input
              key={f.key}
              label={f.label}
              hintText={`${f.hint} De ${f.min} à ${f.max}.`}
              state={error ? "error" : "default"}
              stateRelatedMessage={
                error ? `Saisissez un nombre entier entre ${f.min} et ${f.max}.` : undefined
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
        <Button type="submit" iconId="fr-icon-save-line" disabled={mutation.isPending}>
          Enregistrer les seuils
        </Button>
      </form>
    </>
  );
}
