import type {
  AcademyDto,
  AnnuaireImportReport,
  SchoolDetail,
  SchoolListQuery,
  SchoolPage,
  TerritoryDetail,
  TerritoryLevel,
} from "../contracts/territories.ts";

/** An error answered by the API (`{ error, message }`), or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** The whole answer, for errors that carry more than a message (the password rules missed…). */
  readonly body: unknown;

  constructor(status: number, code: string, message: string, body?: unknown) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof ApiError && error.status === 404;
}

let csrfToken: string | null = null;

/** The session's anti-forgery token, sent with every state-changing request (set by `useSession`). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export async function request<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  const method = (init?.method ?? "GET").toUpperCase();
  const csrf: Record<string, string> =
    STATE_CHANGING.has(method) && csrfToken ? { "x-csrf-token": csrfToken } : {};
  try {
    response = await fetch(path, {
      ...init,
      headers: { Accept: "application/json", ...csrf, ...init?.headers },
    });
  } catch {
    throw new ApiError(
      0,
      "network",
      "Le serveur de Vigie est injoignable. Vérifiez votre connexion et réessayez.",
    );
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const { error, message } = (body ?? {}) as { error?: unknown; message?: unknown };
    throw new ApiError(
      response.status,
      typeof error === "string" ? error : "http",
      typeof message === "string" && message !== ""
        ? message
        : `Le serveur a répondu par une erreur (code ${response.status}).`,
      body,
    );
  }
  return body as T;
}

/** Filters of the school list, as the web app keeps them (page size is fixed by the caller). */
export type SchoolFilters = Partial<Omit<SchoolListQuery, "page" | "pageSize" | "status">> & {
  status?: SchoolListQuery["status"];
  page?: number;
  pageSize?: number;
};

export function schoolsSearchParams(filters: SchoolFilters): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  return params;
}

export const api = {
  academies: () => request<{ items: AcademyDto[] }>("/api/v1/territories/academies"),
  territory: (level: TerritoryLevel, code: string) =>
    request<TerritoryDetail>(`/api/v1/territories/${level}/${encodeURIComponent(code)}`),
  schools: (filters: SchoolFilters) =>
    request<SchoolPage>(`/api/v1/schools?${schoolsSearchParams(filters).toString()}`),
  school: (uai: string) => request<SchoolDetail>(`/api/v1/schools/${encodeURIComponent(uai)}`),
  dryRunAnnuaireImport: (file: File) => {
    const form = new FormData();
    form.set("file", file);
    return request<{ importId: string; report: AnnuaireImportReport; fullReportUrl: string }>(
      "/api/v1/imports/annuaire",
      { method: "POST", body: form },
    );
  },
  /** Starts the import as a job: follow it with `useJob` (its result is `{ report }`). */
  commitAnnuaireImport: (importId: string) =>
    request<{ jobId: string }>(`/api/v1/imports/annuaire/${encodeURIComponent(importId)}/commit`, {
      method: "POST",
    }),
};

/**
 * The TanStack Query keys of `api`'s queries, built here only. The home page and a territory's page
 * share `territory`: one request for both.
 */
export const territoryKeys = {
  territory: (level: TerritoryLevel | undefined, code: string) => ["territory", level, code] as const,
  schools: (filters: SchoolFilters) => ["schools", filters] as const,
  school: (uai: string) => ["school", uai] as const,
};

/**
 * Sends a form (a file) with the upload's progress, which `fetch` does not report: an XHR, with
 * the same anti-forgery token and the same French errors as `request`.
 */
export function uploadWithProgress<T>(
  path: string,
  form: FormData,
  onProgress: (loaded: number, total: number) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.setRequestHeader("Accept", "application/json");
    if (csrfToken) xhr.setRequestHeader("x-csrf-token", csrfToken);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress(event.loaded, event.total);
    };
    xhr.onerror = () =>
      reject(
        new ApiError(
          0,
          "network",
          "Le serveur de Vigie est injoignable. Vérifiez votre connexion et réessayez.",
        ),
      );
    xhr.onload = () => {
      let body: unknown;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T);
      const { error, message } = (body ?? {}) as { error?: unknown; message?: unknown };
      reject(
        new ApiError(
          xhr.status,
          typeof error === "string" ? error : "http",
          typeof message === "string" && message !== ""
            ? message
            : `Le serveur a répondu par une erreur (code ${xhr.status}).`,
          body,
        ),
      );
    };
    xhr.send(form);
  });
}
