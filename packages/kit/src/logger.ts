const levels = { debug: 10, info: 20, warn: 30, error: 40 } as const;
export type LogLevel = keyof typeof levels;
export const LOG_LEVELS = Object.keys(levels) as LogLevel[];

export type LogFields = Record<string, unknown>;

/** Writes one JSON object a line; every line carries the service and the bound fields (e.g. case_id). */
export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Whether lines of `level` are written, so a caller can skip building fields no line would carry. */
  enabled(level: LogLevel): boolean;
  child(fields: LogFields): Logger;
}

export type LogSink = (line: string) => void;
const stdoutSink: LogSink = (line) => process.stdout.write(`${line}\n`);

/** A JSON-lines logger for one service. */
export function createLogger(options: { service: string; level?: LogLevel; sink?: LogSink }, bound: LogFields = {}): Logger {
  const threshold = levels[options.level ?? "info"];
  const sink = options.sink ?? stdoutSink;
  const write = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (levels[level] < threshold) return;
    sink(JSON.stringify({ time: new Date().toISOString(), level, service: options.service, msg, ...bound, ...fields }));
  };
  return {
    debug: (msg, fields) => write("debug", msg, fields),
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
    enabled: (level) => levels[level] >= threshold,
    child: (fields) => createLogger(options, { ...bound, ...fields }),
  };
}

/** Error fields for a log line: the message and the stack, never sent to a client. */
export function errorFields(error: unknown): LogFields {
  if (error instanceof Error) return { error: error.message, error_name: error.name, stack: error.stack };
  return { error: String(error) };
}
