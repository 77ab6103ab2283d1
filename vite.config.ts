import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

/**
 * Web app build. `index.html` sits at the repository root and `public/` holds the DSFR assets
 * copied by `react-dsfr copy-static-assets` (gitignored). The server serves `dist/web`.
 */
export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist/web",
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      output: {
        // Libraries change less often than the app: separate chunks stay in the browser cache.
        codeSplitting: {
          groups: [
            { name: "react", test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/ },
            { name: "router", test: /node_modules[\\/]react-router[\\/]/ },
            // Not the DSFR's own script (react-dsfr/dsfr/dsfr.module.js): `startReactDsfr` imports it
            // lazily, after setting `window.dsfr = { mode: "react" }`; bundling it here would run it first.
            {
              name: "dsfr",
              test: /node_modules[\\/](@codegouvfr[\\/]react-dsfr[\\/](?!dsfr[\\/])|tsafe[\\/])/,
            },
            { name: "query", test: /node_modules[\\/]@tanstack[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: { "/api": `http://127.0.0.1:${process.env.VIGIE_API_PORT ?? "3000"}` },
  },
});
