// `npm run build:server`: compiles the server into dist/server (ADR 0011), whatever its state.
import { buildServerBundle, SERVER_BUNDLE_DIR } from "./lib/server-bundle.mjs";

await buildServerBundle();
console.error(`Serveur compilé dans ${SERVER_BUNDLE_DIR}`);
