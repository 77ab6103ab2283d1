import type { ImportMapping } from "../../contracts/import-mapping.ts";
import type { ImportBatchSummaryDto, ImportFileReport, ImportProfileInfo } from "../../contracts/imports.ts";
import { request, uploadWithProgress } from "../api.ts";

/** Calls of the imports API (docs/imports.md). */

export interface UploadParams {
  profile: string;
  school?: string | undefined;
  period?: string | undefined;
  mapping?: string | undefined;
}

export interface CatalogueElementDto {
  code: string;
  name: string;
  valueType: string;
  disaggregations: { code: string; name: string; options: { code: string; name: string }[] }[];
}

function uploadQuery(p: UploadParams): string {
  const q = new URLSearchParams({ profile: p.profile });
  for (const key of ["school", "period", "mapping"] as const) {
    const value = p[key]?.trim();
    if (value) q.set(key, value);
  }
  return q.toString();
}

export const importsApi = {
  profiles: () => request<ImportProfileInfo[]>("/api/v1/imports/profiles"),
  upload: (file: File, params: UploadParams, onProgress: (loaded: number, total: number) => void) => {
    const form = new FormData();
    form.set("file", file);
    return uploadWithProgress<{ fileId: string; report: ImportFileReport }>(
      `/api/v1/imports/files?${uploadQuery(params)}`,
      form,
      onProgress,
    );
  },
  /** Starts the commit as a job: follow it with `useJob` (its result holds `{ report }`). */
  commit: (fileId: string) =>
    request<{ jobId: string }>(`/api/v1/imports/files/${encodeURIComponent(fileId)}/commit`, {
      method: "POST",
    }),
  batches: () => request<ImportBatchSummaryDto[]>("/api/v1/imports/batches"),
  rollback: (batchId: string) =>
    request<{ removed: number; restored: number }>(
      `/api/v1/imports/batches/${encodeURIComponent(batchId)}/rollback`,
      {
        method: "POST",
      },
    ),
  mappings: () =>
    request<{ items: { mapping: ImportMapping; updatedBy: string; updatedAt: string }[] }>(
      "/api/v1/imports/mappings",
    ),
  saveMapping: (mapping: ImportMapping) =>
    request<ImportMapping>(`/api/v1/imports/mappings/${encodeURIComponent(mapping.name)}`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(mapping),
    }),
  elements: () => request<{ items: CatalogueElementDto[] }>("/api/v1/imports/mappings/elements"),
};

export const importKeys = {
  profiles: ["imports", "profiles"] as const,
  batches: ["imports", "batches"] as const,
  mappings: ["imports", "mappings"] as const,
  elements: ["imports", "elements"] as const,
};

/**
 * The header of a CSV file, read in the browser from its first 64 KiB, so that the mapping screen
 * can offer the file's own column names (UTF-8 with or without BOM; `;`, `,` or tab).
 */
export async function readCsvHeader(file: File): Promise<string[]> {
  const head = await file.slice(0, 64 * 1024).text();
  const firstLine = head.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/)[0] ?? "";
  const separator = [";", "\t", ","].reduce((best, s) =>
    firstLine.split(s).length > firstLine.split(best).length ? s : best,
  );
  return firstLine
    .split(separator)
    .map((c) =>
      c
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .replace(/""/g, '"'),
    )
    .filter((c) => c !== "");
}
