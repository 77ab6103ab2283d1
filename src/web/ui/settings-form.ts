import type { FieldError } from "./FormErrorSummary.tsx";

/**
 * A settings form's model, without React: whole numbers between bounds (the retention periods,
 * the confidentiality thresholds), read from the typed text and checked before they are sent.
 */

export interface SettingField<K extends string> {
  key: K;
  /** Its name, in the error summary and above the input. */
  label: string;
  /** The help under the label (the page writes it whole: default value, bounds…). */
  hint: string;
  min: number;
  max: number;
  /** Stored value × factor = typed value (a share typed in %: 100). 1 by default. */
  factor?: number;
}

export interface SettingsWording {
  /** `conservation` → fields `conservation-<key>`. */
  idPrefix: string;
  /** The unit of every value, said in the labels (« (en jours) ») and the messages. */
  unit?: string;
  /** How the bounds are written (« 3 650 »). */
  formatNumber?: (value: number) => string;
}

export const settingFieldId = (wording: SettingsWording, key: string) => `${wording.idPrefix}-${key}`;

/** The label above the input: « Journal d'audit (en jours) ». */
export const settingInputLabel = (wording: SettingsWording, field: SettingField<string>) =>
  wording.unit ? `${field.label} (en ${wording.unit})` : field.label;

const bounds = (wording: SettingsWording, field: SettingField<string>) => {
  const format = wording.formatNumber ?? String;
  return `entre ${format(field.min)} et ${format(field.max)}`;
};

/** The message under a refused field. */
export const settingFieldMessage = (wording: SettingsWording, field: SettingField<string>) =>
  `Saisissez un nombre entier ${bounds(wording, field)}.`;

/** The stored values as people type them. */
export function settingsDraft<K extends string>(
  fields: readonly SettingField<K>[],
  values: Record<K, number>,
): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [f.key, String(Math.round(values[f.key] * (f.factor ?? 1)))]));
}

/** The typed text read back: the values to store, or one error per field out of bounds. */
export function checkSettings<K extends string>(
  fields: readonly SettingField<K>[],
  draft: Record<string, string>,
  wording: SettingsWording,
): { errors: FieldError[]; values: Record<K, number> | null } {
  const errors: FieldError[] = [];
  const values: Partial<Record<K, number>> = {};
  const unit = wording.unit ? ` de ${wording.unit}` : "";
  for (const f of fields) {
    const text = (draft[f.key] ?? "").trim();
    const typed = Number(text);
    if (text === "" || !Number.isInteger(typed) || typed < f.min || typed > f.max) {
      errors.push({
        fieldId: settingFieldId(wording, f.key),
        label: f.label,
        message: `saisissez un nombre entier${unit} ${bounds(wording, f)}.`,
      });
    } else {
      values[f.key] = typed / (f.factor ?? 1);
    }
  }
  return { errors, values: errors.length === 0 ? (values as Record<K, number>) : null };
}
