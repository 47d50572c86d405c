import type { AnyElysia } from "elysia";
import { BODY_LIMIT_BYTES } from "./body.ts";
import { withTimeout } from "./health.ts";
import { errorFields, type Logger } from "./logger.ts";

// Longer than the gateway's idle timeout for upstream connections, so the gateway always closes an
// idle keep-alive connection first and never reuses one the service already closed.
export const IDLE_TIMEOUT_SECONDS = 120;

/**
 * Bun's own body limit, a backstop well above the kit's: the kit reads every body itself and answers a
 * larger one with its 413 problem (case id included), which Bun's bare 413 would not carry. Only a
 * declared Content-Length above this gets Bun's 413, before any JavaScript runs.
 */
export const BUN_BODY_LIMIT_BYTES = 16 * BODY_LIMIT_BYTES;

/** How every service listens; exported so tests serve an app exactly as the services do. */
export const listenOptions = (port: number, hostname = "0.0.0.0") =>
  ({ port, hostname, idleTimeout: IDLE_TIMEOUT_SECONDS, maxRequestBodySize: BUN_BODY_LIMIT_BYTES }) as const;

/**
 * Listens on `host`:`port` and stops gracefully on SIGTERM/SIGINT: no new connections, in-flight requests
 * finish within `shutdownTimeoutMs`, then every `close` runs (pools, channels) and the process exits.
 */
function serveService(
  app: AnyElysia,
  options: { port: number; host: string; logger: Logger; shutdownTimeoutMs: number; close?: (() => Promise<unknown>)[] },
) {
  app.listen(listenOptions(options.port, options.host));
  options.logger.info("listening", { host: options.host, port: options.port });
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    options.logger.info("shutting down", { signal });
    try {
      await withTimeout(app.server!.stop(false), options.shutdownTimeoutMs, "in-flight requests did not finish");
    } catch (error) {
      options.logger.warn("closing remaining connections", errorFields(error));
      await app.server?.stop(true);
    }
    for (const close of options.close ?? []) {
      await close().catch((error) => options.logger.warn("close failed", errorFields(error)));
    }
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

/** Prints a start-up failure (e.g. a malformed setting) as one log line and exits non-zero. */
function failStart(service: string, error: unknown): never {
  console.error(
    JSON.stringify({
      time: new Date().toISOString(),
      level: "error",
      service,
      msg: "cannot start",
      ...errorFields(error),
      stack: undefined,
    }),
  );
  process.exit(1);
}

/** What a service's entry point has made once its settings are read and its clients are up. */
export type StartedService = {
  app: AnyElysia;
  config: { HOST: string; PORT: number; SHUTDOWN_TIMEOUT_MS: number };
  logger: Logger;
  /** Run in order after the last request on shutdown: background work, channels, pools. */
  close?: (() => Promise<unknown>)[];
};

/**
 * The whole of a service's `index.ts`: `start` reads the settings and makes the clients and the app;
 * this serves it with graceful shutdown, or, when `start` throws (a malformed setting, a database it
 * cannot reach), prints why as one log line and exits non-zero.
 */
export async function runService(name: string, start: () => Promise<StartedService> | StartedService): Promise<void> {
  try {
    const { app, config, logger, close } = await start();
    serveService(app, { port: config.PORT, host: config.HOST, logger, shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT_MS, close });
  } catch (error) {
    failStart(name, error);
  }
}
