import { connect } from "node:net";

/** A server the test suite needs, the setting that names it, and its compose service. */
export type Server = { name: string; variable: string; url: string; composeService: string; composeUrl: string; howToStart: string };

// Compose publishes its servers on these host ports (not the standard ones), so they never clash
// with servers already running on the machine.
export const SERVERS: Server[] = [
  {
    name: "Postgres",
    variable: "DATABASE_URL",
    url: process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
    composeService: "postgres",
    composeUrl: "postgres://postgres:postgres@127.0.0.1:55432/postgres",
    howToStart: "start PostgreSQL (e.g. `pg_ctlcluster <version> main start`) or set DATABASE_URL",
  },
  {
    name: "Redis",
    variable: "REDIS_URL",
    url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    composeService: "redis",
    composeUrl: "redis://127.0.0.1:56379",
    howToStart: "start Redis (e.g. `redis-server --daemonize yes`) or set REDIS_URL",
  },
  {
    name: "RabbitMQ",
    variable: "AMQP_URL",
    url: process.env.AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672",
    composeService: "rabbitmq",
    composeUrl: "amqp://guest:guest@127.0.0.1:55672",
    howToStart: "start RabbitMQ (e.g. `rabbitmq-server -detached`) or set AMQP_URL",
  },
];

const defaultPorts: Record<string, number> = { "postgres:": 5432, "postgresql:": 5432, "redis:": 6379, "amqp:": 5672 };

/** Whether something accepts TCP connections at the URL's host and port, within `timeoutMs`. */
export function reachable(url: string, timeoutMs = 1500): Promise<boolean> {
  const { hostname, port, protocol } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ""), port: Number(port || defaultPorts[protocol]) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}
