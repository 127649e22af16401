import { Code, ConnectError } from "@connectrpc/connect";
import {
  BadRequestSchema,
  ErrorInfoSchema,
  PreconditionFailureSchema,
  QuotaFailureSchema,
  ResourceInfoSchema,
  RetryInfoSchema,
} from "./gen/google/rpc/error_details_pb.js";

/** The domain of every reason this API returns. */
export const errorDomain = "billing.guance.com";

/** A failed call as one typed value: the code, the message, the ErrorInfo reason, and every rich detail. */
export interface BillingError {
  code: Code;
  /** The code as gRPC names it, e.g. "INVALID_ARGUMENT". */
  codeName: string;
  message: string;
  /** The stable UPPER_SNAKE_CASE reason, e.g. "WORKSPACE_NOT_FOUND"; undefined when the failure carries no ErrorInfo. */
  reason?: string;
  /** The values involved, e.g. { workspace_id: "ws_..." }. */
  metadata: Record<string, string>;
  /** INVALID_ARGUMENT: one entry per bad field. */
  fieldViolations: { field: string; description: string }[];
  /** FAILED_PRECONDITION: the business rules broken. */
  preconditionViolations: { type: string; subject: string; description: string }[];
  /** RESOURCE_EXHAUSTED: the quotas used up. */
  quotaViolations: { subject: string; description: string }[];
  /** NOT_FOUND, ALREADY_EXISTS: the resource concerned. */
  resource?: { type: string; name: string; description: string };
  /** Throttled: how long to wait before trying again. */
  retryDelayMs?: number;
}

/** Reads everything a failed call says; any thrown value is accepted (it is converted to a ConnectError). */
export function billingError(thrown: unknown): BillingError {
  const error = ConnectError.from(thrown);
  const info = error.findDetails(ErrorInfoSchema)[0];
  const resource = error.findDetails(ResourceInfoSchema)[0];
  const retry = error.findDetails(RetryInfoSchema)[0]?.retryDelay;
  return {
    code: error.code,
    codeName: codeName(error.code),
    message: error.rawMessage,
    reason: info?.reason,
    metadata: { ...(info?.metadata ?? {}) },
    fieldViolations: error.findDetails(BadRequestSchema).flatMap((d) => d.fieldViolations.map(({ field, description }) => ({ field, description }))),
    preconditionViolations: error
      .findDetails(PreconditionFailureSchema)
      .flatMap((d) => d.violations.map(({ type, subject, description }) => ({ type, subject, description }))),
    quotaViolations: error.findDetails(QuotaFailureSchema).flatMap((d) => d.violations.map(({ subject, description }) => ({ subject, description }))),
    resource: resource && { type: resource.resourceType, name: resource.resourceName, description: resource.description },
    retryDelayMs: retry && Number(retry.seconds) * 1000 + Math.round(retry.nanos / 1_000_000),
  };
}

/** INVALID_ARGUMENT -> "INVALID_ARGUMENT", as gRPC and the README name codes. */
export function codeName(code: Code): string {
  return Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}
