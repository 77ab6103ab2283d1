import type { FormDefinition } from "../../contracts/collection-form.ts";
import type { FormSaveResult, FormsList, SavedForm } from "../../contracts/collection-forms.ts";
import type { FormDataElement, LocalDataElementInput } from "../../contracts/data-element-model.ts";
import { ApiError, request } from "../api.ts";
import { collectionKeys } from "./collection-api.ts";

/** Calls of the form editor's API (docs/collection.md, « Formulaires »). */

const base = "/api/v1/collection";
const json = (method: "POST" | "PUT", body: unknown): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

export const formsApi = {
  list: () => request<FormsList>(`${base}/forms`),
  form: (code: string) => request<SavedForm>(`${base}/forms/${encodeURIComponent(code)}`),
  templateForm: (template: string) =>
    request<FormDefinition>(`${base}/templates/${encodeURIComponent(template)}/form`),
  save: (code: string, definition: FormDefinition) =>
    request<FormSaveResult>(`${base}/forms/${encodeURIComponent(code)}`, json("PUT", { definition })),
  dataElements: () => request<{ items: FormDataElement[] }>(`${base}/data-elements`),
  defineDataElement: (body: LocalDataElementInput) =>
    request<FormDataElement>(`${base}/data-elements`, json("POST", body)),
};

export const formKeys = {
  list: [...collectionKeys.all, "forms"] as const,
  form: (code: string) => [...collectionKeys.all, "forms", code] as const,
  templateForm: (template: string) => [...collectionKeys.all, "template-form", template] as const,
  dataElements: [...collectionKeys.all, "data-elements"] as const,
};

/** The issues of a refused save (`details.issues` of a 400 `invalid_form`), or none. */
export function issuesOf(error: unknown): { path: string; message: string }[] {
  if (!(error instanceof ApiError) || error.code !== "invalid_form") return [];
  const details = (error.body as { details?: { issues?: unknown } } | undefined)?.details;
  const issues = details?.issues;
  return Array.isArray(issues)
    ? issues.filter(
        (i): i is { path: string; message: string } =>
          typeof i?.path === "string" && typeof i?.message === "string",
      )
    : [];
}
