// Compiles contracts/src with solc-js into contracts/artifacts/<Contract>.json ({ abi, bytecode }).
// OpenZeppelin 5 and 4.9 sources are compiled as separate source sets so their same-named contracts never meet.
// A hash of sources, lock file, compiler settings and this script makes a repeated run a no-op.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = dirname(fileURLToPath(import.meta.url));
const nodeModules = join(root, "node_modules");
const artifactsDir = join(root, "artifacts");
const hashFile = join(artifactsDir, ".hash");
const force = process.argv.includes("--force");

if (!existsSync(join(nodeModules, "solc"))) {
  console.error("build.mjs: contracts/node_modules/solc is missing; run `npm ci` in contracts/");
  process.exit(2);
}
const solc = createRequire(import.meta.url)("solc");

const baseSettings = {
  optimizer: { enabled: true, runs: 200 },
  evmVersion: "cancun",
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
};

// Deployed straight from a library: no wrapper contract of ours, just an import that pulls it in.
const libraryContracts = new Set(["TimelockController"]);

// The Bravo governor's bytecode is ~24.9 kB at 200 runs, at the edge of EIP-170's 24,576-byte limit; optimizing
// that set for size keeps it deployable on any chain, not only on an anvil started with --code-size-limit.
const sourceSets = [
  { name: "oz5", dir: join(root, "src", "oz5"), settings: baseSettings },
  { name: "oz4", dir: join(root, "src", "oz4"), settings: { ...baseSettings, optimizer: { enabled: true, runs: 1 } } },
];

function listSol(dir) {
  return readdirSync(dir).filter((f) => f.endsWith(".sol")).sort().map((f) => join(dir, f));
}

function computeHash() {
  const h = createHash("sha256");
  h.update(`solc ${solc.version()}\n${JSON.stringify(sourceSets.map((s) => [s.name, s.settings]))}\n`);
  for (const file of [join(root, "build.mjs"), join(root, "package-lock.json"), ...sourceSets.flatMap((s) => listSol(s.dir))]) {
    h.update(`${relative(root, file).split(sep).join("/")}\n`);
    h.update(readFileSync(file));
  }
  return h.digest("hex");
}

function findImports(path) {
  const candidate = resolve(nodeModules, path);
  if (!candidate.startsWith(nodeModules + sep) || !existsSync(candidate)) {
    return { error: `not found in contracts/node_modules: ${path}` };
  }
  return { contents: readFileSync(candidate, "utf8") };
}

function writeAtomic(file, text) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

const hash = computeHash();
if (!force && existsSync(hashFile) && readFileSync(hashFile, "utf8").trim() === hash) {
  console.log(`contracts: artifacts up to date (${hash.slice(0, 12)}), nothing to compile`);
  process.exit(0);
}

mkdirSync(artifactsDir, { recursive: true });
const started = Date.now();
const written = [];
for (const set of sourceSets) {
  const sources = {};
  for (const file of listSol(set.dir)) {
    sources[`src/${set.name}/${relative(set.dir, file)}`] = { content: readFileSync(file, "utf8") };
  }
  const setStarted = Date.now();
  const output = JSON.parse(
    solc.compile(JSON.stringify({ language: "Solidity", sources, settings: set.settings }), { import: findImports }),
  );
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  // Warnings in our own sources are shown; the libraries' are only counted (we cannot fix them here).
  const warnings = (output.errors ?? []).filter((e) => e.severity !== "error");
  for (const w of warnings.filter((e) => e.sourceLocation?.file?.startsWith("src/"))) console.warn(w.formattedMessage.trim());
  const libraryWarnings = warnings.filter((e) => !e.sourceLocation?.file?.startsWith("src/")).length;
  if (errors.length > 0) {
    for (const e of errors) console.error(e.formattedMessage.trim());
    console.error(`contracts: ${set.name} failed to compile (${errors.length} error(s))`);
    process.exit(1);
  }
  for (const [sourceName, contracts] of Object.entries(output.contracts)) {
    const ours = sourceName.startsWith("src/");
    for (const [contractName, c] of Object.entries(contracts)) {
      const bytecode = c.evm.bytecode.object;
      if (!bytecode || (!ours && !libraryContracts.has(contractName))) continue;
      writeAtomic(join(artifactsDir, `${contractName}.json`), JSON.stringify({ abi: c.abi, bytecode: `0x${bytecode}` }));
      written.push(`${contractName} (${bytecode.length / 2} bytes)`);
    }
  }
  console.log(
    `contracts: compiled ${set.name} in ${((Date.now() - setStarted) / 1000).toFixed(1)} s` +
      (libraryWarnings > 0 ? ` (${libraryWarnings} warning(s) in library sources)` : ""),
  );
}
writeAtomic(hashFile, `${hash}\n`);
console.log(`contracts: solc ${solc.version()}, wrote ${written.length} artifacts in ${((Date.now() - started) / 1000).toFixed(1)} s: ${written.join(", ")}`);
