// Bundles the OpenTelemetry test page (src/page.js and the SDK packages from
// npm) into dist/otel-page.js, one IIFE that the browser test serves.
// Run: npm ci && npm run build   (in this folder)
import { build } from "esbuild";

await build({
  entryPoints: ["src/page.js"],
  outfile: "dist/otel-page.js",
  bundle: true,
  format: "iife",
  target: "es2020",
  minify: false,
  sourcemap: false,
  logLevel: "warning",
});
