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

const defaultPorts: Record<string, number> = {
  "postgres:": 5432,
  "postgresql:": 5432,
  "redis:": 6379,
  "amqp:": 5672,
  "smtp:": 25,
  "smtps:": 465,
};

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

/**
 * Whether the AMQP broker at `url` answers the protocol header with its Connection.Start frame within
 * `timeoutMs`. A broker out of file descriptors still lets TCP connections in (they wait in the backlog)
 * but never answers them, which a port check cannot tell.
 */
export function amqpAnswers(url: string, timeoutMs = 5000): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname.replace(/^\[|\]$/g, ""), port: Number(port || defaultPorts["amqp:"]) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => socket.write(Buffer.from([0x41, 0x4d, 0x51, 0x50, 0, 0, 9, 1])));
    // A method frame (type 1) on channel 0 is the broker's Connection.Start.
    socket.once("data", (data) => done(data[0] === 1));
    socket.once("error", () => done(false));
  });
}
