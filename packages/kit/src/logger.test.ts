import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger, turnBufferedSink } from "./logger.ts";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const messages = (text: string) =>
  text
    .trimEnd()
    .split("\n")
    .map((line) => JSON.parse(line).msg);

/** A logger whose lines are kept, one string each. */
function kept(level?: "debug" | "info" | "warn" | "error") {
  const lines: string[] = [];
  return { lines, logger: createLogger({ service: "test", level, sink: (line) => lines.push(line) }) };
}

describe("a log line", () => {
  test("is one JSON object: time, level, service, message, the bound fields, then its own, in that order", () => {
    const { lines, logger } = kept();
    const before = Date.now();
    logger.child({ case_id: "c-1" }).child({ task_id: "t-1" }).info("request", { method: "GET", status: 200, note: 'a "quoted" \n line' });
    logger.warn("bare");
    logger.error("empty", {});
    const after = Date.now();
    const [first, bare, empty] = lines.map((line) => JSON.parse(line));
    expect(Object.keys(first)).toEqual(["time", "level", "service", "msg", "case_id", "task_id", "method", "status", "note"]);
    expect(first).toMatchObject({ level: "info", service: "test", msg: "request", case_id: "c-1", task_id: "t-1", status: 200 });
    expect(first.note).toBe('a "quoted" \n line');
    expect(Date.parse(first.time)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(first.time)).toBeLessThanOrEqual(after);
    expect(first.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(bare).toEqual({ time: bare.time, level: "warn", service: "test", msg: "bare" });
    expect(empty).toEqual({ time: empty.time, level: "error", service: "test", msg: "empty" });
    expect(lines.every((line) => !line.includes("\n"))).toBe(true);
  });

  test("takes a field of the line's own over a bound or head field of the same name, and names it once", () => {
    const { lines, logger } = kept();
    logger.child({ case_id: "bound" }).info("replaced", { case_id: "own", service: "other" });
    expect(JSON.parse(lines[0]!)).toMatchObject({ case_id: "own", service: "other", msg: "replaced" });
    expect(lines[0]!.match(/"case_id"/g)).toHaveLength(1);
    expect(lines[0]!.match(/"service"/g)).toHaveLength(1);
    logger.child({ service: "bound", msg: "bound" }).warn("head");
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: "warn", service: "bound", msg: "bound" });
    expect(lines[1]!.match(/"service"/g)).toHaveLength(1);
    expect(lines[1]!.match(/"msg"/g)).toHaveLength(1);
  });

  test("is not written below the logger's level", () => {
    const { lines, logger } = kept("warn");
    logger.info("quiet");
    logger.warn("heard");
    expect(lines.map((line) => JSON.parse(line).msg)).toEqual(["heard"]);
    expect(logger.enabled("info")).toBe(false);
  });
});

describe("the log, a turn of the event loop at a time", () => {
  test("writes every line of one turn in one write, in order, and a later turn's in the next", async () => {
    const writes: string[] = [];
    const logger = createLogger({ service: "test", sink: turnBufferedSink((text) => writes.push(text)).sink });
    logger.info("first");
    logger.warn("second");
    logger.child({ case_id: "c-1" }).error("third");
    expect(writes).toEqual([]);
    await nextTurn();
    expect(writes).toHaveLength(1);
    expect(messages(writes[0]!)).toEqual(["first", "second", "third"]);
    logger.info("fourth");
    await nextTurn();
    expect(writes.map(messages)).toEqual([["first", "second", "third"], ["fourth"]]);
  });

  test("writes at once when 256 lines wait, and what follows with the turn", async () => {
    const writes: string[] = [];
    const logger = createLogger({ service: "test", sink: turnBufferedSink((text) => writes.push(text)).sink });
    for (let i = 0; i < 257; i++) logger.info(`line ${i}`);
    expect(writes).toHaveLength(1);
    expect(messages(writes[0]!)).toHaveLength(256);
    await nextTurn();
    expect(writes.map((text) => messages(text).length)).toEqual([256, 1]);
    expect(messages(writes[1]!)).toEqual(["line 256"]);
  });

  test("loses no line of a process that exits in the turn it wrote them", async () => {
    const dir = mkdtempSync(join(tmpdir(), "w2meet-log-"));
    try {
      const script = join(dir, "exits.ts");
      writeFileSync(
        script,
        `import { createLogger } from ${JSON.stringify(join(import.meta.dir, "logger.ts"))};\n` +
          `const logger = createLogger({ service: "exits" });\n` +
          `for (let i = 0; i < 1000; i++) logger.info("line " + i);\n` +
          `process.exit(3);\n`,
      );
      const child = Bun.spawn(["bun", script], { stdout: "pipe", stderr: "pipe" });
      const [out, code] = await Promise.all([new Response(child.stdout).text(), child.exited]);
      expect(code).toBe(3);
      expect(messages(out)).toEqual(Array.from({ length: 1000 }, (_, i) => `line ${i}`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
