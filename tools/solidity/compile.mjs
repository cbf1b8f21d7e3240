// Compiles Solidity sources and writes one JSON per contract, interface or library declared in
// them (not in their imports): {"name", "source", "abi", "bytecode", "deployedBytecode"}, the
// bytecode as hex without 0x (empty for interfaces).
// Usage: node compile.mjs OUT_DIR SOURCE.sol...
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { compile, version } from "./solc.mjs";

const [outDir, ...files] = process.argv.slice(2);
if (!outDir || files.length === 0) {
  console.error("usage: node compile.mjs OUT_DIR SOURCE.sol...");
  process.exit(2);
}
let compiled;
try {
  compiled = compile(files);
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
mkdirSync(outDir, { recursive: true });
let written = 0;
for (const [source, contracts] of Object.entries(compiled)) {
  for (const [name, artifact] of Object.entries(contracts)) {
    const out = {
      name,
      source,
      abi: artifact.abi,
      bytecode: artifact.evm.bytecode.object,
      deployedBytecode: artifact.evm.deployedBytecode.object,
    };
    writeFileSync(join(outDir, `${name}.json`), `${JSON.stringify(out, null, 2)}\n`);
    written += 1;
  }
}
console.error(`solc ${version()}: ${written} artifacts in ${outDir}`);
