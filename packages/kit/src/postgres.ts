import postgres from "postgres";
import { ProblemError } from "./errors.ts";

export type Sql = postgres.Sql;

/** How long one request's database work may take by default (a caller's hop timeout must be longer). */
const DATABASE_TIMEOUT_MS = 1500;

/**
 * A pooled Postgres client that fails fast: 2 s to connect, and the server cancels any statement
 * running longer than `timeoutMs`. A server gone silent cancels nothing: bound each request's work
 * with `databaseDeadline` as well.
 */
export function createSql(url: string, options: { max?: number; timeoutMs?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    connect_timeout: 2,
    idle_timeout: 30,
    onnotice: () => {},
    connection: { statement_timeout: options.timeoutMs ?? DATABASE_TIMEOUT_MS },
  });
}

/** Runs a request's database work within a deadline (see `databaseDeadline`). */
export type Deadline = {
  /** One statement; past the deadline it is taken off the pool's queue if it has not been sent yet. */
  <T>(query: PromiseLike<T> & { cancel?: () => unknown; state?: unknown }): Promise<T>;
  /** One transaction; one that gets its connection only after the deadline rolls back instead of running. */
  transaction<T>(sql: Sql, work: (tx: postgres.TransactionSql) => Promise<T>): Promise<T>;
};

class DeadlinePassed extends Error {}

/**
 * Bounds a request's database work, whatever the network does (a host that vanished without a reset
 * leaves queries waiting for ever): past `ms`, a 503 problem naming `database`. Work still waiting for a
 * connection then never runs, so a write answered with a 503 is not made later; a statement already
 * sent is left to fail with its connection (or, past COMMIT, may have been made: the 503 says so).
 */
export function databaseDeadline(database: string, ms: number): Deadline {
  const problem = () =>
    new ProblemError("unavailable", `The ${database} did not answer within ${ms} ms; try again shortly (a write may not have been made)`);
  const bounded = <T>(work: PromiseLike<T>, expire: () => void) =>
    new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        expire();
        reject(problem());
      }, ms);
      work.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error) => {
          clearTimeout(timer);
          reject(error instanceof DeadlinePassed ? problem() : error);
        },
      );
    });
  // Only a statement still queued for a connection is taken back: postgres.js removes it at once. One
  // already sent would be cancelled over a new connection, whose failure its Query#cancel() drops
  // unhandled, and a server gone silent would not answer that one either.
  const deadline = <T>(query: PromiseLike<T> & { cancel?: () => unknown; state?: unknown }) =>
    bounded(query, () => {
      if (query.state === null) query.cancel?.();
    });
  deadline.transaction = <T>(sql: Sql, work: (tx: postgres.TransactionSql) => Promise<T>) => {
    let expired = false;
    const transaction = sql.begin((tx) => {
      if (expired) throw new DeadlinePassed();
      return work(tx);
    }) as Promise<T>;
    return bounded(transaction, () => {
      expired = true;
    });
  };
  return deadline;
}

const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ENOTFOUND",
  "EAI_AGAIN",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08000",
  "08001",
  "08003",
  "08004",
  "08006",
]);

/** True when an error means Postgres cannot be reached, rather than that a query was wrong. */
function isPostgresUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && CONNECTION_CODES.has(code);
}

const QUERY_CANCELED = "57014";

/**
 * Maps "Postgres cannot be reached" and a statement the server cancelled for taking too long to a 503
 * problem naming `database`; for `createService({ mapError })`.
 */
export const postgresProblem =
  (database: string) =>
  (error: unknown): ProblemError | undefined => {
    if (isPostgresUnreachable(error)) return new ProblemError("unavailable", `The ${database} is unreachable; try again shortly`);
    if ((error as { code?: unknown } | null)?.code === QUERY_CANCELED) {
      return new ProblemError("unavailable", `The ${database} did not answer in time; try again shortly`);
    }
    return undefined;
  };
