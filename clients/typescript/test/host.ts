// Starts the real host (the built Guance.Billing.Host.dll, run with `dotnet`) on a free loopback
// port with a temporary data directory and its own operator token, and stops it afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { createBillingClient } from "../src/index.js";

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

export interface RunningHost {
  baseUrl: string;
  operatorToken: string;
  log(): string;
  stop(): Promise<void>;
}

/** The host dll: GUANCE_HOST_DLL, else the Release build of src/Guance.Billing.Host. */
export function hostDll(): string {
  const dll = process.env.GUANCE_HOST_DLL ?? join(repositoryRoot, "src/Guance.Billing.Host/bin/Release/net10.0/Guance.Billing.Host.dll");
  if (!existsSync(dll)) {
    throw new Error(`${dll} does not exist: build the host first (dotnet build -c Release src/Guance.Billing.Host) or set GUANCE_HOST_DLL`);
  }
  return dll;
}

export async function startHost(): Promise<RunningHost> {
  const dll = hostDll();
  const port = await freePort();
  const dataDirectory = mkdtempSync(join(tmpdir(), "guance-billing-ts-"));
  const operatorToken = `gco_typescript_tests_${process.pid}_${Date.now()}`;
  const baseUrl = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const child: ChildProcess = spawn(
    "dotnet",
    [
      dll,
      "--urls", baseUrl,
      "--Guance:Console:Url=",
      `--Guance:DataDirectory=${dataDirectory}`,
      `--Guance:OperatorToken=${operatorToken}`,
      "--Guance:Security:PasswordHashIterations=1000",
      "--Logging:LogLevel:Default=Warning",
    ],
    { cwd: dirname(dll), stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<void>((done) => child.once("exit", () => done()));

  const host: RunningHost = {
    baseUrl,
    operatorToken,
    log: () => output.join(""),
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(dataDirectory, { recursive: true, force: true });
    },
  };
  await waitUntilServing(host, () => child.exitCode);
  return host;
}

async function waitUntilServing(host: RunningHost, exitCode: () => number | null): Promise<void> {
  const client = createBillingClient({ baseUrl: host.baseUrl, defaultTimeoutMs: 2_000 });
  const giveUp = Date.now() + 90_000;
  for (;;) {
    if (exitCode() !== null) {
      throw new Error(`the host exited with code ${exitCode()} before serving:\n${host.log()}`);
    }
    try {
      await client.workspaces.listSites({});
      return;
    } catch (error) {
      if (Date.now() > giveUp) {
        await host.stop();
        throw new Error(`the host did not serve within 90 s (${String(error)}):\n${host.log()}`);
      }
      await new Promise((done) => setTimeout(done, 100));
    }
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? done(address.port) : fail(new Error("no port"))));
    });
  });
}
