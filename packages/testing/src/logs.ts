import { createLogger, type Logger, type LogLevel } from "@w2meet/kit";

/** A logger whose lines a test can read back, each parsed. */
export function capturedLogger(service = "test", level: LogLevel = "info"): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  return { lines, logger: createLogger({ service, level, sink: (line) => lines.push(JSON.parse(line)) }) };
}
