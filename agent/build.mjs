// Builds the Waymark browser agent:
//   dist/waymark.js      IIFE, minified, for <script> (defines window.waymark)
//   dist/waymark.esm.js  ES module for bundlers (web-vitals left as an import)
//   dist/types/          .d.ts for the ES module
// Prints the sizes, and fails when the gzipped IIFE exceeds the budget.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = dirname(fileURLToPath(import.meta.url));
const dist = join(root, "dist");
const BUDGET = 8192; // bytes, gzipped IIFE
const version = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).version;

rmSync(dist, { recursive: true, force: true });

const common = {
  bundle: true,
  target: "es2022", // what web-vitals itself ships (class fields); lowering it would only add bytes
  legalComments: "none",
  logLevel: "warning",
};

await build({
  ...common,
  entryPoints: [join(root, "src/iife.ts")],
  outfile: join(dist, "waymark.js"),
  format: "iife",
  platform: "browser",
  minify: true,
  sourcemap: "external", // waymark.js.map, without a sourceMappingURL comment in the script
});

await build({
  ...common,
  entryPoints: [join(root, "src/index.ts")],
  outfile: join(dist, "waymark.esm.js"),
  format: "esm",
  platform: "neutral",
  sourcemap: true,
  banner: { js: `/* Waymark browser agent ${version} */` },
  external: ["web-vitals"],
});

// The in-page interventions, loaded by the agent with import() only when the app's rules act in the page.
await build({
  ...common,
  entryPoints: [join(root, "src/offer.ts")],
  outfile: join(dist, "offer.js"),
  format: "esm",
  platform: "browser",
  minify: true,
});

// Declarations for bundler users (TypeScript's own compiler).
execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", root, "--emitDeclarationOnly"], {
  stdio: "inherit",
});

const report = (file) => {
  const buf = readFileSync(join(dist, file));
  const gz = gzipSync(buf).length; // zlib default level, as a web server would send it
  console.log(`${file.padEnd(16)} ${String(buf.length).padStart(7)} B raw  ${String(gz).padStart(6)} B gzip`);
  return gz;
};
const gz = report("waymark.js");
report("waymark.esm.js");
report("offer.js");

if (gz > BUDGET) {
  console.error(`FAIL: dist/waymark.js is ${gz} B gzipped, over the budget of ${BUDGET} B`);
  process.exit(1);
}
console.log(`OK: dist/waymark.js within ${BUDGET} B gzipped (${BUDGET - gz} B left)`);
