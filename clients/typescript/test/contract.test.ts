// The TypeScript client covers the whole contract: every service generated from protos/ has a
// client on BillingClient and its messages are exported from the package.
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { test } from "node:test";
import type { GenFile } from "@bufbuild/protobuf/codegenv2";
import * as billing from "../src/index.js";

const generatedDirectory = join(dirname(fileURLToPath(import.meta.url)), "../src/gen/guance/billing/v1");

async function generatedFiles(): Promise<GenFile[]> {
  const files: GenFile[] = [];
  for (const name of readdirSync(generatedDirectory).filter((n) => n.endsWith("_pb.js"))) {
    const module = (await import(pathToFileURL(join(generatedDirectory, name)).href)) as Record<string, unknown>;
    files.push(...Object.entries(module).filter(([key]) => key.startsWith("file_")).map(([, value]) => value as GenFile));
  }
  return files;
}

test("every service of the contract has a client on BillingClient", async () => {
  const generated = (await generatedFiles()).flatMap((file) => file.services.map((s) => s.typeName)).sort();
  const exposed = Object.values(billing.services).map((s) => s.typeName).sort();
  assert.ok(generated.includes("guance.billing.v1.IdentityService"));
  assert.ok(generated.includes("guance.billing.v1.WorkspaceService"));
  assert.deepEqual(exposed, generated, "add the missing service to src/services.ts and its file to src/index.ts");
});

test("every generated file of the contract is exported from the package", async () => {
  const exported = new Set(Object.values(billing).filter((v): v is GenFile => typeof v === "object" && v !== null && (v as GenFile).kind === "file"));
  for (const file of await generatedFiles()) {
    assert.ok(exported.has(file), `src/index.ts does not export ${file.proto.name}`);
  }
});
