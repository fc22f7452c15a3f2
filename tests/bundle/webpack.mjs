// webpack 5 (its Node API): the app bundled for Node as CommonJS (the
// package's `require` entry) and as an ES module (its `import` entry).
// Usage: node tests/bundle/webpack.mjs <cjs|esm>
import webpack from "webpack";
import { fileURLToPath } from "node:url";

const format = process.argv[2];
const esm = format === "esm";
const config = {
  mode: "production",
  target: "node20",
  context: fileURLToPath(new URL(".", import.meta.url)),
  entry: esm ? "./node-entry.mjs" : "./node-entry.cjs",
  output: {
    path: fileURLToPath(new URL(`./out/webpack-${format}`, import.meta.url)),
    filename: esm ? "app.mjs" : "app.cjs",
    ...(esm ? { module: true, chunkFormat: "module", library: { type: "module" } } : {}),
    clean: true,
  },
  experiments: esm ? { outputModule: true } : {},
  optimization: { minimize: false },
};
webpack(config, (err, stats) => {
  if (err || stats.hasErrors()) {
    console.error(err ?? stats.toString("errors-only"));
    process.exit(1);
  }
});
