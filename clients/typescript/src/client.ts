import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { services } from "./services.js";

/** How a BillingClient reaches the host and calls it. */
export interface BillingClientOptions {
  /** The host: http://127.0.0.1:50051 (plaintext HTTP/2, for local use) or https://billing.example.com (TLS). */
  baseUrl: string;
  /** Bearer token sent with every call (console user gcu_, collector gct_, billing-center gcb_ or operator); none for anonymous calls. */
  token?: string;
  /**
   * Deadline of every call that sets none, in milliseconds (default 30 000). A long-lived stream
   * passes `{ timeoutMs: 0 }` to opt out.
   */
  defaultTimeoutMs?: number;
  /** Further interceptors, run after the one that adds the token. */
  interceptors?: Interceptor[];
}

/** The generated client of every service over one HTTP/2 connection. */
export type BillingClient = { [Name in keyof typeof services]: Client<(typeof services)[Name]> };

/** Adds `authorization: Bearer <token>` to every request. */
export function bearerToken(token: string): Interceptor {
  const header = `Bearer ${token.trim()}`;
  return (next) => (request) => {
    request.header.set("authorization", header);
    return next(request);
  };
}

/** Creates the client of every service, calling the host at baseUrl with the token. */
export function createBillingClient(options: BillingClientOptions): BillingClient {
  const transport = createGrpcTransport({
    baseUrl: options.baseUrl,
    defaultTimeoutMs: options.defaultTimeoutMs ?? 30_000,
    interceptors: [...(options.token ? [bearerToken(options.token)] : []), ...(options.interceptors ?? [])],
  });
  const entries = Object.entries(services).map(([name, service]) => [name, createClient(service, transport)]);
  return Object.fromEntries(entries) as BillingClient;
}
