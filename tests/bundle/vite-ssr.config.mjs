// Vite SSR builds (a server bundle run by Node): the package external (Vite's
// default for dependencies) or bundled (VITE_NO_EXTERNAL=1: ssr.noExternal).
import { fileURLToPath } from "node:url";

const bundled = process.env.VITE_NO_EXTERNAL === "1";
export default {
  root: fileURLToPath(new URL(".", import.meta.url)),
  logLevel: "error",
  ssr: bundled ? { noExternal: true } : {},
  build: {
    ssr: fileURLToPath(new URL("./node-entry.mjs", import.meta.url)),
    outDir: bundled ? "out/vite-ssr-bundled" : "out/vite-ssr",
    emptyOutDir: true,
    minify: false,
    rollupOptions: { output: { entryFileNames: "app.mjs", format: "es" } },
  },
};
