// Parses Terraform (HCL2) files with HashiCorp's own parser (@cdktf/hcl2json, the HCL library compiled to
// WebAssembly) and prints one JSON object {"<file>": <parsed>} on stdout. Used by app's TerraformModulesIT:
// no terraform binary is reachable in CI. Usage: node hcl2json.mjs FILE.tf...
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { parse } = require("@cdktf/hcl2json");

const out = {};
for (const file of process.argv.slice(2)) {
  out[file] = await parse(file, await readFile(file, "utf8"));
}
process.stdout.write(JSON.stringify(out) + "\n");
