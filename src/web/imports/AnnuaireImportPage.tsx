import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Breadcrumb } from "@codegouvfr/react-dsfr/Breadcrumb";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Stepper } from "@codegouvfr/react-dsfr/Stepper";
import { Upload } from "@codegouvfr/react-dsfr/Upload";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { Link } from "react-router";
import type { AnnuaireImportReport } from "../../contracts/territories.ts";
import { api } from "../api.ts";
import { RequireUser } from "../identity/RequireUser.tsx";
import { errorMessage } from "../layout/QueryState.tsx";
import { usePageTitle } from "../layout/usePageTitle.ts";
import { JobProgress } from "../ui/JobProgress.tsx";
import { useJob } from "../ui/useJob.ts";
import { ImportReport } from "./ImportReport.tsx";

const STEPS: readonly string[] = ["Déposer le fichier", "Vérifier le rapport", "Import confirmé"];

const IMPORT_AUDIENCE =
  "L'import de l'Annuaire est réservé aux administrateurs nationaux et aux équipes de pilotage de région académique et d'académie (DRANE, DANE).";

/** `/administration/import-annuaire`: upload → dry-run report → confirm → committed report. */
export function AnnuaireImportPage() {
  return (
    <RequireUser
      title="Import de l'Annuaire de l'éducation"
      permission="import.annuaire"
      audience={IMPORT_AUDIENCE}
    >
      {() => <AnnuaireImport />}
    </RequireUser>
  );
}

function AnnuaireImport() {
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const reportHeadingRef = useRef<HTMLHeadingElement>(null);
  const doneHeadingRef = useRef<HTMLHeadingElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [missingFile, setMissingFile] = useState(false);

  const dryRun = useMutation({ mutationFn: (selected: File) => api.dryRunAnnuaireImport(selected) });
  // The confirmation starts a job on the server: its progress is read until it ends.
  const commit = useMutation({ mutationFn: (importId: string) => api.commitAnnuaireImport(importId) });
  const job = useJob(commit.data?.jobId);
  const jobState = job.data?.state;
  const committed = jobState === "done";
  const jobFailed = jobState === "failed" || jobState === "cancelled";
  const jobRunning = Boolean(commit.data) && !committed && !jobFailed && !job.isError;
  const committedReport = committed
    ? ((job.data?.result as { report?: AnnuaireImportReport } | null)?.report ?? null)
    : null;

  useEffect(() => {
    // Schools and territory figures changed: forget what was cached.
    if (committed) void queryClient.invalidateQueries();
  }, [committed, queryClient]);

  const step = committed ? 3 : dryRun.isSuccess ? 2 : 1;
  usePageTitle(`Import de l'Annuaire - étape ${step} sur ${STEPS.length} : ${STEPS[step - 1]}`);

  // Move the focus to the new content of each step (the report, then the confirmation).
  useEffect(() => {
    if (step === 2) reportHeadingRef.current?.focus();
    if (step === 3) doneHeadingRef.current?.focus();
  }, [step]);

  const analyse = (event: FormEvent) => {
    event.preventDefault();
    if (!file) {
      setMissingFile(true);
      return;
    }
    setMissingFile(false);
    commit.reset();
    dryRun.mutate(file);
  };

  const restart = () => {
    dryRun.reset();
    commit.reset();
    setFile(null);
    formRef.current?.reset();
  };

  const busy = dryRun.isPending || commit.isPending || jobRunning;

  return (
    <>
      <Breadcrumb homeLinkProps={{ to: "/" }} segments={[]} currentPageLabel="Import de l'Annuaire" />
      <h1>Import de l'Annuaire de l'éducation</h1>
      <Alert
        className={fr.cx("fr-mb-4w")}
        severity="info"
        small
        description="Un administrateur national importe toute la France ; une équipe de pilotage de région académique ou d'académie, son territoire seulement : les lignes hors de son périmètre sont rejetées dans le rapport. Chaque import confirmé est inscrit au journal d'audit."
      />
      <p>
        Déposez un export CSV de l'Annuaire de l'éducation (séparateur « ; », encodage UTF-8 ou Windows-1252).
        Vigie vérifie d'abord le fichier sans rien enregistrer et vous présente un rapport ; l'import n'est
        enregistré qu'après votre confirmation.
      </p>

      <Stepper
        currentStep={step}
        stepCount={STEPS.length}
        title={STEPS[step - 1]}
        nextTitle={step < STEPS.length ? STEPS[step] : undefined}
      />

      <div aria-busy={busy}>
        {step !== 3 ? (
          <form ref={formRef} onSubmit={analyse} className={fr.cx("fr-mb-4w")} noValidate>
            <Upload
              label="Fichier de l'Annuaire"
              hint="Format CSV, séparateur point-virgule. Un seul fichier."
              state={missingFile ? "error" : "default"}
              stateRelatedMessage="Sélectionnez un fichier CSV avant de lancer la vérification."
              disabled={busy}
              nativeInputProps={{
                name: "file",
                accept: ".csv,text/csv",
                onChange: (event) => {
                  setFile(event.target.files?.[0] ?? null);
                  setMissingFile(false);
                  dryRun.reset();
                  commit.reset();
                },
              }}
            />
            <Button className={fr.cx("fr-mt-3w")} type="submit" iconId="fr-icon-search-line" disabled={busy}>
              Vérifier le fichier
            </Button>
          </form>
        ) : null}

        <p role="status" className={fr.cx("fr-text--bold")}>
          {dryRun.isPending ? (
            <>
              <span className={fr.cx("fr-icon-refresh-line", "fr-mr-1w")} aria-hidden="true" />
              Envoi et vérification du fichier en cours…
            </>
          ) : commit.isPending || (jobRunning && !job.data) ? (
            <>
              <span className={fr.cx("fr-icon-refresh-line", "fr-mr-1w")} aria-hidden="true" />
              Enregistrement de l'import en cours…
            </>
          ) : null}
        </p>
        {jobRunning && job.data ? (
          <JobProgress job={job.data} label="Enregistrement de l'import" unit="établissements" />
        ) : null}

        {dryRun.isError ? (
          <Alert
            className={fr.cx("fr-mb-4w")}
            severity="error"
            title="Le fichier n'a pas pu être vérifié"
            description={errorMessage(dryRun.error)}
          />
        ) : null}

        {dryRun.isSuccess && step === 2 ? (
          <section aria-labelledby="rapport-titre">
            <h2 id="rapport-titre" ref={reportHeadingRef} tabIndex={-1}>
              Rapport de vérification
            </h2>
            <p>
              Ce rapport décrit ce que l'import changerait. <strong>Rien n'a encore été enregistré.</strong>
            </p>
            <ImportReport report={dryRun.data.report} fullReportUrl={dryRun.data.fullReportUrl} />
            {commit.isError || job.isError || jobFailed ? (
              <Alert
                className={fr.cx("fr-my-4w")}
                severity="error"
                title="L'import n'a pas pu être confirmé"
                description={
                  jobFailed
                    ? (job.data?.error ?? "L'enregistrement a échoué.")
                    : errorMessage(commit.error ?? job.error)
                }
              />
            ) : null}
            <ul
              className={fr.cx(
                "fr-btns-group",
                "fr-btns-group--inline-md",
                "fr-btns-group--icon-left",
                "fr-mt-4w",
              )}
            >
              <li>
                <Button
                  iconId="fr-icon-check-line"
                  disabled={busy}
                  onClick={() => commit.mutate(dryRun.data.importId)}
                >
                  Confirmer l'import
                </Button>
              </li>
              <li>
                <Button priority="secondary" disabled={busy} onClick={restart}>
                  Annuler et choisir un autre fichier
                </Button>
              </li>
            </ul>
          </section>
        ) : null}

        {committedReport ? (
          <section aria-labelledby="import-confirme-titre">
            <h2 id="import-confirme-titre" ref={doneHeadingRef} tabIndex={-1}>
              Import confirmé
            </h2>
            <Alert
              className={fr.cx("fr-mb-4w")}
              severity="success"
              small
              description="L'import a été enregistré. Les établissements et les chiffres des territoires sont à jour."
            />
            <ImportReport report={committedReport} />
            <ul
              className={fr.cx(
                "fr-btns-group",
                "fr-btns-group--inline-md",
                "fr-btns-group--icon-left",
                "fr-mt-4w",
              )}
            >
              <li>
                <Button priority="secondary" onClick={restart}>
                  Importer un autre fichier
                </Button>
              </li>
              <li>
                <Link className={fr.cx("fr-btn", "fr-btn--tertiary")} to="/etablissements">
                  Voir les établissements
                </Link>
              </li>
            </ul>
          </section>
        ) : null}
      </div>
    </>
  );
}
