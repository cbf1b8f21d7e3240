// One way to run solcjs for the project: standard JSON, optimizer on (200 runs), EVM version
// cancun as on Arbitrum. Imports resolve into this directory's node_modules
// (`@openzeppelin/...`), then from the repository's root (`abi/lrt.sol`, the golden ABIs), then
// next to the given files.
import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import solc from "solc";

const here = dirname(fileURLToPath(import.meta.url));

/** The compiler's version string. */
export const version = () => solc.version();

/**
 * Compiles `files` (paths) and returns solc's output `contracts` object keyed by source name
 * (the file's base name). Prints warnings; throws with every error message on failure.
 */
export function compile(files) {
  const sources = {};
  for (const file of files) {
    sources[basename(file)] = { content: readFileSync(file, "utf8") };
  }
  const input = {
    language: "Solidity",
    sources,
    settings: {
      evmVersion: "cancun",
      optimizer: { enabled: true, runs: 200 },
      outputSelection: {
        "*": { "*": ["abi", "evm.bytecode.object", "evm.deployedBytecode.object"] },
      },
    },
  };
  const roots = [
    join(here, "node_modules"),
    join(here, "..", ".."),
    ...files.map((f) => dirname(resolve(f))),
  ];
  const findImports = (path) => {
    for (const root of roots) {
      try {
        return { contents: readFileSync(join(root, path), "utf8") };
      } catch {
        // Try the next root.
      }
    }
    return { error: `${path} not found under ${roots.join(", ")}` };
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImports }));
  const messages = output.errors ?? [];
  const errors = messages.filter((e) => e.severity === "error");
  if (errors.length > 0) {
    throw new Error(errors.map((e) => e.formattedMessage).join("\n"));
  }
  for (const warning of messages) {
    console.error(warning.formattedMessage);
  }
  const compiled = {};
  for (const name of Object.keys(sources)) {
    compiled[name] = output.contracts?.[name] ?? {};
  }
  return compiled;
}
