import { Type, type Static } from "@sinclair/typebox";

export const DependencyHealth = Type.Object({
  status: Type.Union([Type.Literal("up"), Type.Literal("down")]),
  response_time_ms: Type.Number(),
  required: Type.Boolean({ description: "Whether the service cannot work without it" }),
  detail: Type.Optional(Type.String()),
});
export type DependencyHealth = Static<typeof DependencyHealth>;

export const HealthStatus = Type.Union([Type.Literal("healthy"), Type.Literal("degraded"), Type.Literal("unhealthy")]);
export type HealthStatus = Static<typeof HealthStatus>;

/** The answer of `GET /health`: 200 when healthy or degraded, 503 when unhealthy. */
export const Health = Type.Object({
  service: Type.String(),
  status: HealthStatus,
  dependencies: Type.Record(Type.String(), DependencyHealth),
});
export type Health = Static<typeof Health>;

export const Liveness = Type.Object({ status: Type.Literal("alive") });

/** One replica of a service as the gateway's system health found it. */
export const ReplicaHealth = Type.Object({
  address: Type.String({ description: "The replica's address, one of those its service's host name resolves to" }),
  status: HealthStatus,
  response_time_ms: Type.Number(),
  dependencies: Type.Optional(Type.Record(Type.String(), DependencyHealth)),
  detail: Type.Optional(Type.String({ description: "Why the replica's own health could not be read" })),
});
export type ReplicaHealth = Static<typeof ReplicaHealth>;

export const ServiceHealth = Type.Object({
  status: HealthStatus,
  replicas: Type.Array(ReplicaHealth),
  detail: Type.Optional(Type.String()),
});
export type ServiceHealth = Static<typeof ServiceHealth>;

/**
 * The answer of the gateway's `GET /api/health`: every service, each replica with its dependencies.
 * 200 when every service is healthy or degraded, 503 when any is unhealthy.
 */
export const SystemHealth = Type.Object({
  status: HealthStatus,
  services: Type.Record(Type.String(), ServiceHealth),
});
export type SystemHealth = Static<typeof SystemHealth>;
