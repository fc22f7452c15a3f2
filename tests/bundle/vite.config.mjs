// Vite, as a browser app's build would use the package: the default entry
// (top-level await, the .wasm found through new URL(…, import.meta.url)).
import { fileURLToPath } from "node:url";

export default {
  root: fileURLToPath(new URL(".", import.meta.url)),
  logLevel: "error",
  base: "./",
  build: {
    target: "esnext",
    outDir: "out/vite",
    emptyOutDir: true,
    minify: false,
    rollupOptions: {
      input: fileURLToPath(new URL("./node-entry.mjs", import.meta.url)),
      output: { entryFileNames: "app.mjs", format: "es" },
      preserveEntrySignatures: "strict",
    },
  },
};
