/**
 * Files sent to Vigie (docs/architecture.md, « Fichiers envoyés »): streamed to
 * `<dataDir>/uploads/<id>`, described in the `upload` table, applied once, purged when never
 * confirmed. Every importer's upload route and commit job use it.
 */
export {
  alreadyCommitted,
  startUploadCommit,
  type Upload,
  UploadStore,
  type UploadStoreOptions,
  type UploadTable,
} from "./store.ts";
