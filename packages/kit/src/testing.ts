import postgres from "postgres";

/** The servers a test run uses: the settings' own variables, else the local defaults. */
export const TEST_DATABASE_URL = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const TEST_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
export const TEST_AMQP_URL = process.env.AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672";

/** A fresh database for one test file, dropped by `drop()`. */
export async function createTestDatabase(prefix = "w2meet_test"): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${crypto.randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const admin = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const again = postgres(TEST_DATABASE_URL, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists "${name}" with (force)`);
      await again.end();
    },
  };
}

/** A port nothing listens on right now. */
export function freePort(): number {
  const server = Bun.serve({ port: 0, fetch: () => new Response() });
  const port = server.port!;
  server.stop(true);
  return port;
}

/** A URL whose port refuses connections, to stand in for a server that is down. */
export const closedPortUrl = (scheme: string, path = "") => `${scheme}://127.0.0.1:${freePort()}${path}`;

/** Polls `probe` until it returns a truthy value, or fails after `timeoutMs`. Never a fixed sleep. */
export async function waitFor<T>(probe: () => T | Promise<T>, options: { timeoutMs?: number; intervalMs?: number; what?: string } = {}): Promise<NonNullable<T>> {
  const deadline = performance.now() + (options.timeoutMs ?? 10_000);
  let last: unknown;
  while (performance.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await Bun.sleep(options.intervalMs ?? 25);
  }
  throw new Error(`Timed out waiting for ${options.what ?? "a condition"}${last ? `: ${String(last)}` : ""}`);
}

/** Sends a JSON request to an in-process app, the way route tests do. */
export function jsonRequest(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`http://localhost${path}`, {
    method,
    headers: body === undefined ? headers : { "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** A service started as a real process for cross-service tests; `stop()` kills it. */
export type RunningService = { url: string; port: number; process: Bun.Subprocess; logs: () => string; stop: () => Promise<void> };

/** Starts `entry` with bun on a free port and waits until its liveness route answers. */
export async function startService(entry: string, env: Record<string, string>, port = freePort()): Promise<RunningService> {
  let output = "";
  const child = Bun.spawn(["bun", entry], {
    env: { ...process.env, LOG_LEVEL: "warn", ...env, PORT: String(port) },
    stdout: "pipe",
    stderr: "pipe",
  });
  const collect = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) output += new TextDecoder().decode(chunk);
  };
  const collected = Promise.all([collect(child.stdout), collect(child.stderr)]);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => child.exitCode === null && (await fetch(`${url}/health/live`)).ok, { timeoutMs: 15_000, what: `${entry} to start` });
  } catch (error) {
    child.kill();
    throw new Error(`${String(error)}\n${output}`);
  }
  return {
    url,
    port,
    process: child,
    logs: () => output,
    stop: async () => {
      child.kill("SIGTERM");
      await child.exited;
      await collected;
    },
  };
}

/** How a fake service replies to a call to its route. */
export type FakeServiceAnswer = (url: URL, request: Request) => Response | Promise<Response>;

const queryOf = (url: URL) => ({ query: url.searchParams });

/**
 * A stand-in for a downstream service on a real local port, for tests of the service that calls it.
 * It answers `/health/live`, 404s any other path but `path`, and replies to each call to `path` with
 * `answer`, first pushing onto `calls` the call's case id and what `record` takes from it (by default
 * its query). Tests can then swap the reply (`answerWith`), fail every call (`failWith`, whose body
 * defaults to `failure(status)`, else `{ status, detail: "failing on purpose" }`), or hold every call
 * unanswered (`hang`) until `stop`, which releases held calls with a 204 and stops the server.
 */
export function startFakeService<Recorded extends object = { query: URLSearchParams }>(options: {
  path: string;
  answer: FakeServiceAnswer;
  record?: (url: URL, request: Request) => Recorded;
  failure?: (status: number) => unknown;
}) {
  const record = options.record ?? (queryOf as (url: URL) => Recorded);
  const failure = options.failure ?? ((status: number) => ({ status, detail: "failing on purpose" }));
  const calls: ({ caseId: string | null } & Recorded)[] = [];
  const held: (() => void)[] = [];
  let answer = options.answer;
  const server = Bun.serve({
    port: 0,
    hostname: "127.0.0.1",
    fetch(request) {
      const url = new URL(request.url);
      if (url.pathname === "/health/live") return Response.json({ status: "alive" });
      if (url.pathname !== options.path) return new Response(null, { status: 404 });
      calls.push({ caseId: request.headers.get("case-id"), ...record(url, request) });
      return answer(url, request);
    },
  });
  const answerWith = (next: FakeServiceAnswer) => {
    answer = next;
  };
  return {
    url: `http://127.0.0.1:${server.port}`,
    calls,
    /** Reply to every call with `next` from now on. */
    answerWith,
    /** Reply to every call with this status and JSON body from now on. */
    failWith: (status: number, body: unknown = failure(status)) => answerWith(() => Response.json(body, { status })),
    /** Hold every call unanswered until `stop`. */
    hang: () => answerWith(() => new Promise<Response>((resolve) => held.push(() => resolve(new Response(null, { status: 204 }))))),
    stop: () => {
      for (const release of held) release();
      return server.stop(true);
    },
  };
}

/**
 * A TCP proxy to a real server (Redis, RabbitMQ, …) that a test can cut and restore, to see a client
 * lose its server and get it back without stopping the shared server itself.
 */
export function startTcpProxy(target: string) {
  const { hostname, port: targetPort, protocol } = new URL(target);
  type Pair = { client: Bun.Socket<Pair>; upstream?: Bun.Socket<unknown>; pending: Uint8Array[] };
  const pairs = new Set<Pair>();
  const port = freePort();
  let listener: Bun.TCPSocketListener<Pair> | undefined;
  const listen = () => {
    listener = Bun.listen<Pair>({
      hostname: "127.0.0.1",
      port,
      socket: {
        open(client) {
          const pair: Pair = { client, pending: [] };
          client.data = pair;
          pairs.add(pair);
          void Bun.connect({
            hostname,
            port: Number(targetPort),
            socket: {
              open(upstream) {
                pair.upstream = upstream;
                for (const chunk of pair.pending) upstream.write(chunk);
                pair.pending = [];
              },
              data: (_, chunk) => void pair.client.write(chunk),
              close: () => {
                pair.client.end();
              },
              error: () => {
                pair.client.end();
              },
            },
          }).catch(() => client.end());
        },
        data(client, chunk) {
          if (client.data.upstream) client.data.upstream.write(chunk);
          else client.data.pending.push(new Uint8Array(chunk));
        },
        close(client) {
          client.data.upstream?.end();
          pairs.delete(client.data);
        },
      },
    });
  };
  listen();
  return {
    url: `${protocol}//127.0.0.1:${port}`,
    /** Drops every connection and refuses new ones, as a server that went away. */
    cut() {
      listener?.stop(true);
      listener = undefined;
      for (const pair of pairs) {
        pair.client.end();
        pair.upstream?.end();
      }
      pairs.clear();
    },
    /** Accepts connections again on the same port. */
    restore: listen,
    stop() {
      this.cut();
    },
  };
}
