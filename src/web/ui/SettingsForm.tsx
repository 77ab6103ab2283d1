import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import type { UseMutationResult } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { errorMessage } from "../layout/QueryState.tsx";
import { type FieldError, FormErrorSummary } from "./FormErrorSummary.tsx";
import {
  checkSettings,
  type SettingField,
  type SettingsWording,
  settingFieldId,
  settingFieldMessage,
  settingInputLabel,
  settingsDraft,
} from "./settings-form.ts";

/**
 * A form of whole-number settings (retention periods, confidentiality thresholds): one input per
 * field with its bounds, the error summary, the saving through the page's mutation, and a success
 * message that takes the focus so that screen readers announce it.
 */
export function SettingsForm<K extends string, TSaved>({
  fields,
  wording,
  current,
  mutation,
  submitLabel,
  failureTitle,
  savedMessage,
}: {
  fields: readonly SettingField<K>[];
  wording: SettingsWording;
  /** The stored values, as the server gives them. */
  current: Record<K, number>;
  mutation: UseMutationResult<TSaved, Error, Record<K, number>>;
  submitLabel: string;
  /** The summary's title when the server refuses. */
  failureTitle: string;
  savedMessage: (saved: TSaved) => string;
}) {
  const [draft, setDraft] = useState<Record<string, string>>(() => settingsDraft(fields, current));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [submits, setSubmits] = useState(0);
  const savedRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (mutation.isSuccess) savedRef.current?.focus();
  }, [mutation.isSuccess]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = checkSettings(fields, draft, wording);
    setErrors(checked.errors);
    setSubmits((n) => n + 1);
    mutation.reset();
    if (checked.values) mutation.mutate(checked.values);
  };

  return (
    <>
      {mutation.isSuccess ? (
        <div ref={savedRef} tabIndex={-1} className={fr.cx("fr-mb-4w")}>
          <Alert severity="success" small description={savedMessage(mutation.data)} />
        </div>
      ) : null}
      <FormErrorSummary
        title={mutation.isError ? failureTitle : "Le formulaire contient des erreurs"}
        errors={errors}
        general={mutation.isError ? errorMessage(mutation.error) : null}
        focusKey={submits}
      />
      <form onSubmit={submit} noValidate>
        {fields.map((f) => {
          const id = settingFieldId(wording, f.key);
          const error = errors.find((e) => e.fieldId === id);
          return (
            <Input
              key={f.key}
              label={settingInputLabel(wording, f)}
              hintText={f.hint}
              state={error ? "error" : "default"}
              stateRelatedMessage={error ? settingFieldMessage(wording, f) : undefined}
              nativeInputProps={{
                id,
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
          {submitLabel}
        </Button>
      </form>
    </>
  );
}
