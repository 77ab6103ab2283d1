import type { IndicatorCatalogue, RoadmapTemplate } from "../../contracts/roadmaps.ts";
import { loadIndicatorCatalogue, loadRoadmapTemplates } from "./templates.ts";

// Templates and catalogue (files of data/templates, read once)

interface Library {
  catalogue: IndicatorCatalogue;
  templates: RoadmapTemplate[];
}
let library: Promise<Library> | undefined;

export function roadmapLibrary(): Promise<Library> {
  library ??= (async () => {
    const catalogue = await loadIndicatorCatalogue();
    return { catalogue, templates: await loadRoadmapTemplates({ catalogue }) };
  })();
  library.catch(() => {
    library = undefined;
  });
  return library;
}
