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
