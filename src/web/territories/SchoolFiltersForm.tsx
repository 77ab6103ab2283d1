import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { type FormEvent, useEffect, useId, useState } from "react";
import { SCHOOL_SECTOR_LABELS, SCHOOL_TYPE_LABELS } from "../../contracts/labels.ts";
import type { SchoolSector, SchoolType } from "../../contracts/territories.ts";
import { SCHOOL_SECTORS, SCHOOL_TYPES } from "../enums.ts";
import {
  PRIORITY_EDUCATION_FILTERS,
  type PriorityEducationFilter,
  type SchoolListParams,
  STATUS_FILTERS,
  type StatusFilter,
} from "./useSchoolListParams.ts";

export const PRIORITY_EDUCATION_LABELS: Record<PriorityEducationFilter, string> = {
  "REP+": "REP+",
  REP: "REP",
  none: "Hors éducation prioritaire",
};

export const STATUS_LABELS: Record<StatusFilter, string> = {
  open: "Ouverts",
  closed: "Fermés",
  all: "Ouverts et fermés",
};

type Props = {
  params: SchoolListParams;
  onChange: (change: Partial<Omit<SchoolListParams, "page">>) => void;
};

/**
 * Search (by UAI or name, applied on submit) and filters (applied as soon as they change; the result
 * count below is announced to screen readers).
 */
export function SchoolFiltersForm({ params, onChange }: Props) {
  const id = useId();
  const [q, setQ] = useState(params.q);
  // Back / forward navigation changes the URL: keep the text field in step.
  useEffect(() => setQ(params.q), [params.q]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange({ q: q.trim() });
  };

  return (
    <div className={fr.cx("fr-mb-3w")}>
      <search aria-label="Rechercher un établissement">
        <form onSubmit={submit}>
          <Input
            label="Rechercher par UAI ou par nom"
            hintText="Exemple : 0330001A ou « Montaigne »"
            nativeInputProps={{
              id: `${id}-q`,
              name: "q",
              type: "search",
              value: q,
              maxLength: 100,
              autoComplete: "off",
              onChange: (event) => setQ(event.target.value),
            }}
            addon={
              <Button type="submit" iconId="fr-icon-search-line">
                Rechercher
              </Button>
            }
          />
        </form>
      </search>
      <fieldset className={fr.cx("fr-fieldset", "fr-mt-3w", "fr-mb-0")} aria-labelledby={`${id}-legend`}>
        <legend id={`${id}-legend`} className={fr.cx("fr-fieldset__legend", "fr-text--regular")}>
          Filtrer les établissements
        </legend>
        <div className={fr.cx("fr-fieldset__element")}>
          <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
            <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
              <Select
                label="Type"
                nativeSelectProps={{
                  id: `${id}-type`,
                  value: params.type ?? "",
                  onChange: (event) =>
                    onChange({ type: (event.target.value || undefined) as SchoolType | undefined }),
                }}
              >
                <option value="">Tous les types</option>
                {SCHOOL_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {SCHOOL_TYPE_LABELS[type]}
                  </option>
                ))}
              </Select>
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
              <Select
                label="Secteur"
                nativeSelectProps={{
                  id: `${id}-sector`,
                  value: params.sector ?? "",
                  onChange: (event) =>
                    onChange({ sector: (event.target.value || undefined) as SchoolSector | undefined }),
                }}
              >
                <option value="">Tous les secteurs</option>
                {SCHOOL_SECTORS.map((sector) => (
                  <option key={sector} value={sector}>
                    {SCHOOL_SECTOR_LABELS[sector]}
                  </option>
                ))}
              </Select>
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
              <Select
                label="Éducation prioritaire"
                nativeSelectProps={{
                  id: `${id}-ep`,
                  value: params.priorityEducation ?? "",
                  onChange: (event) =>
                    onChange({
                      priorityEducation: (event.target.value || undefined) as
                        | PriorityEducationFilter
                        | undefined,
                    }),
                }}
              >
                <option value="">Tous</option>
                {PRIORITY_EDUCATION_FILTERS.map((value) => (
                  <option key={value} value={value}>
                    {PRIORITY_EDUCATION_LABELS[value]}
                  </option>
                ))}
              </Select>
            </div>
            <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
              <Select
                label="État"
                nativeSelectProps={{
                  id: `${id}-status`,
                  value: params.status,
                  onChange: (event) => onChange({ status: event.target.value as StatusFilter }),
                }}
              >
                {STATUS_FILTERS.map((value) => (
                  <option key={value} value={value}>
                    {STATUS_LABELS[value]}
                  </option>
                ))}
              </Select>
            </div>
          </div>
        </div>
      </fieldset>
    </div>
  );
}
