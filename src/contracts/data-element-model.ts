/**
 * The data elements a DANE defines herself (issue 11, point 1: « new ones a DANE defines »),
 * without Zod so that the form editor in the browser can read the types and labels (ADR 0004).
 * Such an element is school-level, like the catalogue's collected ones; the observatory stores its
 * values as numbers, so its type is one of the catalogue's numeric types (an option list or a text
 * stays a form field kept with the response).
 */

export const LOCAL_VALUE_TYPES = ["integer", "number", "percentage", "boolean"] as const;
export type LocalValueType = (typeof LOCAL_VALUE_TYPES)[number];

export const LOCAL_VALUE_TYPE_LABELS: Readonly<Record<LocalValueType, string>> = {
  integer: "nombre entier",
  number: "nombre",
  percentage: "pourcentage",
  boolean: "oui / non",
};

/** The form field type that writes a value of this element type. */
export const FIELD_TYPE_OF_VALUE_TYPE: Readonly<
  Record<LocalValueType, "integer" | "number" | "percentage" | "yes_no">
> = {
  integer: "integer",
  number: "number",
  percentage: "percentage",
  boolean: "yes_no",
};

export interface LocalDataElementInput {
  code: string;
  name: string;
  description?: string | undefined;
  valueType: LocalValueType;
  unit?: string | undefined;
  min?: number | undefined;
  max?: number | undefined;
}

/** A data element a form field may feed (school-level), from the catalogue file or defined locally. */
export interface FormDataElement {
  code: string;
  name: string;
  valueType: LocalValueType;
  unit: string | null;
  min: number | null;
  max: number | null;
  origin: "catalogue" | "local";
  /** The disaggregations the element has (a field gives one option of each, or none for the total). */
  disaggregations: string[];
}
