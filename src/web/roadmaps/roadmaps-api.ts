import type { RoadmapDocument } from "../../contracts/roadmaps.ts";
import type {
  CreateCheckpointBody,
  CreateRoadmapBody,
  RoadmapCheckpointDto,
  RoadmapDetail,
  RoadmapList,
  TemplateDetail,
} from "../../contracts/roadmaps-api.ts";
import { request } from "../api.ts";

function json(method: "POST" | "PUT", body: unknown): RequestInit {
  return { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
}

const base = "/api/v1/roadmaps";
const one = (id: string) => `${base}/${encodeURIComponent(id)}`;

/** Calls of the roadmaps API (docs/roadmaps.md). */
export const roadmapsApi = {
  list: () => request<RoadmapList>(base),
  roadmap: (id: string) => request<RoadmapDetail>(one(id)),
  template: (id: string) => request<TemplateDetail>(`${base}/templates/${encodeURIComponent(id)}`),
  create: (body: CreateRoadmapBody) => request<RoadmapDetail>(base, json("POST", body)),
  update: (id: string, version: number, document: RoadmapDocument) =>
    request<RoadmapDetail>(one(id), json("PUT", { version, document })),
  publish: (id: string) => request<RoadmapDetail>(`${one(id)}/publish`, { method: "POST" }),
  unpublish: (id: string) => request<RoadmapDetail>(`${one(id)}/unpublish`, { method: "POST" }),
  indicators: () => request<{ items: { code: string; name: string; unit: string }[] }>("/api/v1/indicators"),
  remove: (id: string) => request<undefined>(one(id), { method: "DELETE" }),
  addCheckpoint: (id: string, body: CreateCheckpointBody) =>
    request<RoadmapCheckpointDto>(`${one(id)}/checkpoints`, json("POST", body)),
  importYaml: (file: File, territory: string | undefined) => {
    const form = new FormData();
    form.set("file", file);
    const query = territory ? `?territoire=${encodeURIComponent(territory)}` : "";
    return request<RoadmapDetail>(`${base}/import${query}`, { method: "POST", body: form });
  },
  exportUrl: (id: string) => `${one(id)}/export.yaml`,
};

const all = ["roadmaps"] as const;

/**
 * The TanStack Query keys of this client, built here only: `all` prefixes every roadmap query, so
 * that invalidating it refreshes the list, the details and the templates at once.
 */
export const roadmapKeys = {
  all,
  detail: (id: string) => [...all, "detail", id] as const,
  template: (id: string) => [...all, "template", id] as const,
  /** The catalogue as the editor offers it (`roadmapsApi.indicators`), kept for the page's life. */
  editorCatalogue: ["indicator-catalogue", "roadmap-editor"] as const,
};
