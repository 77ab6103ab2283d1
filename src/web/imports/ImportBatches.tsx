import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ImportBatchSummaryDto } from "../../contracts/imports.ts";
import { formatDate, formatInteger } from "../format.ts";
import { ErrorAlert, errorMessage } from "../layout/QueryState.tsx";
import { DataTable } from "../ui/DataTable.tsx";
import { importKeys, importsApi } from "./imports-api.ts";

const STATUS_LABELS: Record<ImportBatchSummaryDto["status"], string> = {
  "dry-run": "vérifié, non confirmé",
  committed: "importé",
  "rolled-back": "annulé",
};

/** The imports the person confirmed in their scope, each with a button that rolls its batch back. */
export function ImportBatches() {
  const queryClient = useQueryClient();
  const batches = useQuery({ queryKey: importKeys.batches, queryFn: importsApi.batches });
  const [asked, setAsked] = useState<ImportBatchSummaryDto | null>(null);
  const rollback = useMutation({
    mutationFn: (batchId: string) => importsApi.rollback(batchId),
    onSuccess: () => {
      setAsked(null);
      void queryClient.invalidateQueries();
    },
  });
  const committed = (batches.data ?? []).filter((b) => b.status !== "dry-run");
  return (
    <section aria-labelledby="imports-confirmes" className={fr.cx("fr-mt-6w")}>
      <h2 id="imports-confirmes">Imports confirmés</h2>
      {batches.isError ? (
        <ErrorAlert error={batches.error} title="La liste des imports n'a pas pu être chargée" />
      ) : null}
      <p role="status">
        {rollback.isSuccess
          ? `Import annulé : ${formatInteger(rollback.data.removed)} valeurs retirées, ${formatInteger(rollback.data.restored)} valeurs remises comme avant.`
          : null}
      </p>
      {rollback.isError ? (
        <Alert
          severity="error"
          small
          className={fr.cx("fr-mb-2w")}
          description={errorMessage(rollback.error)}
        />
      ) : null}
      {committed.length === 0 && batches.isSuccess ? (
        <p>Aucun import confirmé dans votre périmètre.</p>
      ) : null}
      {committed.length > 0 ? (
        <DataTable
          caption="Imports confirmés dans votre périmètre"
          head={
            <tr>
              <th scope="col">Fichier</th>
              <th scope="col">Type</th>
              <th scope="col">Établissement</th>
              <th scope="col">Date</th>
              <th scope="col">Valeurs écrites</th>
              <th scope="col">État</th>
              <th scope="col">Action</th>
            </tr>
          }
        >
          {committed.map((b) => (
            <tr key={b.fileId}>
              <td>{b.fileName}</td>
              <td>{b.profile}</td>
              <td>{b.schoolName ?? b.schoolUai ?? "plusieurs"}</td>
              <td>{b.committedAt ? formatDate(b.committedAt) : ""}</td>
              <td>{formatInteger(b.written)}</td>
              <td>{STATUS_LABELS[b.status]}</td>
              <td>
                {b.status === "committed" && b.batchId ? (
                  asked?.fileId === b.fileId ? (
                    <>
                      <Button
                        size="small"
                        priority="primary"
                        disabled={rollback.isPending}
                        onClick={() => rollback.mutate(b.batchId as string)}
                      >
                        Confirmer l'annulation de {b.fileName}
                      </Button>{" "}
                      <Button size="small" priority="tertiary" onClick={() => setAsked(null)}>
                        Garder
                      </Button>
                    </>
                  ) : (
                    <Button size="small" priority="secondary" onClick={() => setAsked(b)}>
                      Annuler l'import {b.fileName}
                    </Button>
                  )
                ) : null}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
