// The generated code is made at build time and never committed: this check fails when someone
// commits it (it would go stale), and when the build did not produce a module for every proto.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const packageDirectory = join(dirname(fileURLToPath(import.meta.url)), "..");
const repositoryRoot = join(packageDirectory, "../..");
const protoRoot = join(repositoryRoot, "protos");
const generatedRoot = join(packageDirectory, "src/gen");
const problems = [];

let tracked = "";
try {
  tracked = execFileSync("git", ["ls-files", "--", "src/gen"], { cwd: packageDirectory, encoding: "utf8" }).trim();
} catch {
  console.log("check-generated: not a git checkout, skipping the committed-code check");
}
if (tracked) {
  problems.push(`generated code is committed (it is made at build time): git rm -r --cached clients/typescript/src/gen\n${tracked}`);
}

function protos(directory) {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? protos(join(directory, entry.name)) : entry.name.endsWith(".proto") ? [join(directory, entry.name)] : [],
  );
}
for (const proto of protos(protoRoot)) {
  const module = join(generatedRoot, relative(protoRoot, proto).replace(/\.proto$/, "_pb.ts"));
  if (!existsSync(module)) {
    problems.push(`${relative(repositoryRoot, proto)} has no generated module ${relative(repositoryRoot, module)}: run npm run generate`);
  }
}

if (problems.length > 0) {
  console.error(problems.map((p) => `check-generated: ${p}`).join("\n"));
  process.exit(1);
}
console.log(`check-generated: ${protos(protoRoot).length} protos, each with its generated module; none committed`);
