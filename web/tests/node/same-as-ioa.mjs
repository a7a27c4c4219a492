// The browser build gives what `ioa` gives: runs bundled scenarios under several seeds in the
// WebAssembly module (under Node, as the book's worker does) and compares the JSON report, the
// trace with the text report, and the diagram with the native `ioa run`'s, byte for byte.
//
// usage: node web/tests/node/same-as-ioa.mjs IOA_BINARY book/src/generated/wasm/ioa-wasm.js
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import vm from "node:vm";

const [ioa, bundle] = process.argv.slice(2);
if (!ioa || !bundle) {
  console.error("usage: node same-as-ioa.mjs IOA_BINARY IOA_WASM_JS");
  process.exit(2);
}

const t0 = performance.now();
globalThis.self = globalThis;
vm.runInThisContext(readFileSync(bundle, "utf8"));
vm.runInThisContext(self.IOA_WASM.glue + "\nglobalThis.wasm_bindgen = wasm_bindgen;");
const wasm = globalThis.wasm_bindgen;
wasm.initSync({ module: Buffer.from(self.IOA_WASM.wasm, "base64") });
const loaded = performance.now() - t0;

const cases = [
  ["scenarios/broadcast/eager-rb-not-uniform.toml", "rb"],
  ["scenarios/consensus/paxos-accepting-lower.toml", "pl"],
  ["scenarios/clocks/welch-lynch.toml", ""],
  ["scenarios/registers/read-impose-write-all-no-impose.toml", "onar"],
];
const dir = mkdtempSync(join(tmpdir(), "ioa-wasm-"));
let failures = 0;
let first = null;
function same(what, native, page) {
  if (native === page) return;
  failures++;
  let i = 0;
  while (i < native.length && native[i] === page[i]) i++;
  console.error(`DIFFERENT ${what} at byte ${i}:\n  ioa:  ${JSON.stringify(native.slice(i, i + 80))}\n  page: ${JSON.stringify(page.slice(i, i + 80))}`);
}
for (const [file, layer] of cases) {
  const toml = readFileSync(file, "utf8");
  for (const seed of ["1", "2", "3"]) {
    const t = performance.now();
    const answer = JSON.parse(wasm.run(toml, seed, layer, "", ""));
    if (first === null) first = performance.now() - t;
    if (!answer.ok) {
      failures++;
      console.error(`${file} seed ${seed}: ${answer.error.message}`);
      continue;
    }
    const out = answer.output;
    // ioa exits 1 when the outcome is not the scenario's expected one (another seed may not
    // show its counterexample): the output is compared all the same.
    const native = (args) => {
      const r = spawnSync(ioa, ["run", file, "--seed", seed, ...args], { maxBuffer: 1 << 28 });
      if (r.status !== 0 && r.status !== 1) throw new Error(`ioa run ${file}: ${r.stderr}`);
      return r.stdout.toString();
    };
    same(`${file} seed ${seed} --json`, native(["--json"]), out.report + "\n");
    same(`${file} seed ${seed} --trace -`, native(["--trace", "-"]), out.trace + out.text);
    const svg = join(dir, "d.svg");
    native(["--diagram", svg, ...(layer ? ["--layer", layer] : [])]);
    same(`${file} seed ${seed} --diagram`, readFileSync(svg, "utf8"), out.svg);
  }
}
rmSync(dir, { recursive: true });
const size = Buffer.from(self.IOA_WASM.wasm, "base64").length;
console.log(
  `wasm: ${(size / 1e6).toFixed(2)} MB; load ${loaded.toFixed(0)} ms, first run ${first.toFixed(0)} ms; ` +
    `${cases.length * 3} runs compared with ioa (report, trace, diagram): ${failures ? failures + " different" : "identical"}`
);
process.exit(failures ? 1 : 0);
