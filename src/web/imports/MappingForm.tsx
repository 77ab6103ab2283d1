import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import type { ImportMapping } from "../../contracts/import-mapping.ts";
import { ApiError } from "../api.ts";
import { errorMessage } from "../layout/QueryState.tsx";
import { importKeys, importsApi, readCsvHeader } from "./imports-api.ts";

/**
 * The mapping screen of the generic import: the file's columns (read from its header in the
 * browser), which one holds the UAI, where the period comes from, and which data element each
 * other column gives. Saved under a name for the next file of the same shape.
 */
export function MappingForm({ file, onSaved }: { file: File | null; onSaved: (name: string) => void }) {
  const id = useId();
  const elements = useQuery({ queryKey: importKeys.elements, queryFn: importsApi.elements });
  const [columns, setColumns] = useState<string[]>([]);
  const [name, setName] = useState("");
  const [uaiColumn, setUaiColumn] = useState("");
  const [periodColumn, setPeriodColumn] = useState("");
  const [fixedPeriod, setFixedPeriod] = useState("");
  const [targets, setTargets] = useState<Record<string, string>>({});
  useEffect(() => {
    if (!file || /\.xlsx$/i.test(file.name)) return setColumns([]);
    void readCsvHeader(file).then(setColumns);
  }, [file]);
  const save = useMutation({
    mutationFn: (mapping: ImportMapping) => importsApi.saveMapping(mapping),
    onSuccess: (saved) => onSaved(saved.name),
  });
  const submit = () => {
    const mapped = columns.filter((c) => c !== uaiColumn && c !== periodColumn && targets[c]);
    save.mutate({
      name,
      uaiColumn,
      period: periodColumn ? { column: periodColumn } : { fixed: fixedPeriod },
      columns: mapped.map((c) => ({ column: c, dataElement: targets[c] as string, disaggregation: {} })),
      breakdown: null,
    });
  };
  const details =
    save.error instanceof ApiError ? (save.error.body as { details?: unknown })?.details : undefined;

  return (
    <fieldset className={fr.cx("fr-fieldset", "fr-my-3w")} aria-labelledby={`${id}-legende`}>
      <legend id={`${id}-legende`} className={fr.cx("fr-fieldset__legend")}>
        Nouvelle correspondance
      </legend>
      {!file ? <p>Choisissez d'abord le fichier : ses colonnes sont lues dans son en-tête.</p> : null}
      {file && columns.length === 0 ? (
        <p>
          Les colonnes d'un fichier XLSX ne sont pas lues dans le navigateur : exportez-le en CSV pour créer
          la correspondance.
        </p>
      ) : null}
      {columns.length > 0 ? (
        <>
          <Input
            label="Nom de la correspondance"
            nativeInputProps={{ value: name, onChange: (e) => setName(e.target.value) }}
          />
          <Select
            label="Colonne de l'UAI"
            nativeSelectProps={{ value: uaiColumn, onChange: (e) => setUaiColumn(e.target.value) }}
          >
            <option value="">Choisir…</option>
            {columns.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </Select>
          <Select
            label="Colonne de la période"
            hint="Ou laissez « aucune » et donnez la période de toutes les lignes."
            nativeSelectProps={{ value: periodColumn, onChange: (e) => setPeriodColumn(e.target.value) }}
          >
            <option value="">aucune</option>
            {columns.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </Select>
          {periodColumn === "" ? (
            <Input
              label="Période de toutes les lignes"
              hintText="Par exemple 2024-2025."
              nativeInputProps={{ value: fixedPeriod, onChange: (e) => setFixedPeriod(e.target.value) }}
            />
          ) : null}
          {columns
            .filter((c) => c !== uaiColumn && c !== periodColumn)
            .map((c) => (
              <Select
                key={c}
                label={`Colonne « ${c} »`}
                nativeSelectProps={{
                  value: targets[c] ?? "",
                  onChange: (e) => setTargets((t) => ({ ...t, [c]: e.target.value })),
                }}
              >
                <option value="">ne pas importer</option>
                {(elements.data?.items ?? []).map((el) => (
                  <option key={el.code} value={el.code}>
                    {el.name} ({el.code})
                  </option>
                ))}
              </Select>
            ))}
          {save.isError ? (
            <Alert
              severity="error"
              small
              className={fr.cx("fr-mb-2w")}
              description={[
                errorMessage(save.error),
                ...(Array.isArray(details) ? details.map(String) : []),
              ].join(" ")}
            />
          ) : null}
          <Button type="button" iconId="fr-icon-save-line" disabled={save.isPending} onClick={submit}>
            Enregistrer la correspondance
          </Button>
        </>
      ) : null}
    </fieldset>
  );
}
