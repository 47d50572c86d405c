import { writeSync } from "node:fs";

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

/** Lines written by one turn of the event loop waiting at most: more go out at once. */
const MOST_LINES_WAITING = 256;

/**
 * A sink that writes a turn of the event loop at a time: the lines of every request answered in one turn
 * wait for its end (`setImmediate`) and go to `write` as one text, so under load one system call carries
 * many requests' lines instead of one each. `drain` hands over what still waits, for a process about to exit.
 */
export function turnBufferedSink(write: (text: string) => void): { sink: LogSink; drain: () => string } {
  let waiting: string[] = [];
  let scheduled = false;
  const drain = () => {
    const text = waiting.join("");
    waiting = [];
    return text;
  };
  const flush = () => {
    scheduled = false;
    if (waiting.length > 0) write(drain());
  };
  const sink: LogSink = (line) => {
    waiting.push(`${line}\n`);
    if (waiting.length >= MOST_LINES_WAITING) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  };
  return { sink, drain };
}

let stdout: LogSink | undefined;

/** Standard output, a turn at a time; what still waits when the process exits is written, synchronously, first. */
function stdoutSink(): LogSink {
  if (!stdout) {
    const buffered = turnBufferedSink((text) => process.stdout.write(text));
    process.on("exit", () => {
      const text = buffered.drain();
      if (text) writeSync(1, text);
    });
    stdout = buffered.sink;
  }
  return stdout;
}

let lastMs = Number.NaN;
let lastTime = "";

/** A line's time, ISO 8601 in UTC: made once a millisecond, which under load many lines share. */
function timeNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastTime = new Date(now).toISOString();
  }
  return lastTime;
}

/** The fields every line begins with. */
const HEAD_FIELDS = ["time", "level", "service", "msg"];

/** A JSON-lines logger for one service. */
export function createLogger(options: { service: string; level?: LogLevel; sink?: LogSink }, bound: LogFields = {}): Logger {
  const threshold = levels[options.level ?? "info"];
  const sink = options.sink ?? stdoutSink();
  const service = JSON.stringify(options.service);
  const boundJson = JSON.stringify(bound).slice(1, -1);
  const fixed = [...HEAD_FIELDS, ...Object.keys(bound)];
  const boundReplacesHead = HEAD_FIELDS.some((key) => Object.hasOwn(bound, key));
  const replacesAny = (fields: LogFields | undefined) =>
    boundReplacesHead || (fields !== undefined && fixed.some((key) => Object.hasOwn(fields, key)));
  // The line is the head, the bound fields and the line's own, in that order. The fields' JSON is spliced
  // after the others' rather than the three merged into one object first, unless one of them would
  // replace a field before it, which takes the merge so that the line still holds each name once.
  const lineOf = (level: LogLevel, msg: string, fields: LogFields | undefined): string => {
    if (replacesAny(fields)) return JSON.stringify({ time: timeNow(), level, service: options.service, msg, ...bound, ...fields });
    let line = `{"time":"${timeNow()}","level":"${level}","service":${service},"msg":${JSON.stringify(msg)}`;
    if (boundJson) line += `,${boundJson}`;
    const own = fields ? JSON.stringify(fields) : "{}";
    return own.length > 2 ? `${line},${own.slice(1)}` : `${line}}`;
  };
  const write = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (levels[level] < threshold) return;
    sink(lineOf(level, msg, fields));
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
