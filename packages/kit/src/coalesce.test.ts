import { describe, expect, test } from "bun:test";
import { coalescedRead } from "./coalesce.ts";
import { createLogger } from "./logger.ts";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A key the store does not know, named by the error of any read that asks for it. */
class Unknown extends Error {
  constructor(readonly keys: string[]) {
    super(`unknown ${keys.join(", ")}`);
  }
}

/**
 * A coalesced read over a store of upper-cased keys: each read kept with its case id, any read that asks
 * for a key in `unknown` refused with an `Unknown` naming them, and the "read together" lines kept.
 */
function store(options: { maxKeys?: number; unknown?: string[]; blames?: boolean; down?: boolean } = {}) {
  const reads: { keys: string[]; caseId: string }[] = [];
  const lines: Record<string, any>[] = [];
  const read = coalescedRead<string, string>({
    name: "letters",
    maxKeys: options.maxKeys ?? 100,
    async read(keys, caseId) {
      reads.push({ keys: [...keys], caseId });
      await nextTurn();
      if (options.down) throw new Error("the store is down");
      const unknown = keys.filter((key) => options.unknown?.includes(key));
      if (unknown.length) throw new Unknown(unknown);
      return keys.map((key) => key.toUpperCase());
    },
    blamed: options.blames === false ? undefined : (error) => (error instanceof Unknown ? new Set(error.keys) : undefined),
    logger: createLogger({ service: "test", sink: (line) => lines.push(JSON.parse(line)) }),
  });
  return { read, reads, lines };
}

/** Each promise's value or the message of its error. */
const settled = (promises: Promise<string[]>[]) =>
  Promise.all(
    promises.map((promise) =>
      promise.then(
        (values) => values.join(","),
        (error: Error) => error.message,
      ),
    ),
  );

describe("coalesced reads", () => {
  test("the calls of one turn are one read of every key they ask for, each answered its own keys in its order", async () => {
    const { read, reads, lines } = store();
    const answers = await settled([read(["b", "a"], "case-1"), read(["a", "c"], "case-2"), read(["d"], "case-3")]);
    expect(answers).toEqual(["B,A", "A,C", "D"]);
    expect(reads.map((r) => r.keys)).toEqual([["b", "a", "c", "d"]]);
    // The read has a case id of its own, and one line ties it to every caller's.
    const { caseId } = reads[0]!;
    expect(["case-1", "case-2", "case-3"]).not.toContain(caseId);
    expect(lines).toEqual([
      expect.objectContaining({
        level: "info",
        msg: "letters read together",
        case_id: caseId,
        for: ["case-1", "case-2", "case-3"],
        keys: 4,
      }),
    ]);
  });

  test("a caller alone in its turn is read under its own case id, with no line", async () => {
    const { read, reads, lines } = store();
    expect(await read(["a", "b"], "case-1")).toEqual(["A", "B"]);
    await read(["c"], "case-2");
    expect(reads).toEqual([
      { keys: ["a", "b"], caseId: "case-1" },
      { keys: ["c"], caseId: "case-2" },
    ]);
    expect(lines).toEqual([]);
  });

  test("calls of different turns are read apart", async () => {
    const { read, reads } = store();
    const first = read(["a"], "case-1");
    await nextTurn();
    const second = read(["b"], "case-2");
    expect(await settled([first, second])).toEqual(["A", "B"]);
    expect(reads.map((r) => r.keys)).toEqual([["a"], ["b"]]);
  });

  test("callers whose keys together pass the most a read takes go in another read", async () => {
    const { read, reads } = store({ maxKeys: 3 });
    const answers = await settled([
      read(["a", "b"], "case-1"),
      read(["c", "d"], "case-2"),
      read(["d", "e"], "case-3"),
      read(["a"], "case-4"),
    ]);
    expect(answers).toEqual(["A,B", "C,D", "D,E", "A"]);
    // Greedy in order: a,b alone (c,d would make four); c,d,e together; then a.
    expect(reads.map((r) => r.keys)).toEqual([["a", "b"], ["c", "d", "e"], ["a"]]);
    expect(reads[0]!.caseId).toBe("case-1");
    expect(reads[2]!.caseId).toBe("case-4");
  });

  test("an error about some keys: their callers are read alone and get their own error, the others are read together again", async () => {
    const { read, reads } = store({ unknown: ["x", "y"] });
    const answers = await settled([read(["a", "x"], "case-1"), read(["b"], "case-2"), read(["y", "c"], "case-3"), read(["c"], "case-4")]);
    expect(answers).toEqual(["unknown x", "B", "unknown y", "C"]);
    expect(reads.map((r) => r.keys)).toEqual([
      ["a", "x", "b", "y", "c"],
      ["a", "x"],
      ["y", "c"],
      ["b", "c"],
    ]);
    expect(reads[1]!.caseId).toBe("case-1");
    expect(reads[2]!.caseId).toBe("case-3");
  });

  test("an error about no key in particular is every caller's answer, from the one read", async () => {
    const { read, reads } = store({ down: true });
    expect(await settled([read(["a"], "case-1"), read(["b"], "case-2")])).toEqual(["the store is down", "the store is down"]);
    expect(reads).toHaveLength(1);
  });

  test("without a way to tell which keys an error is about, it is every caller's answer", async () => {
    const { read, reads } = store({ unknown: ["x"], blames: false });
    expect(await settled([read(["a", "x"], "case-1"), read(["b"], "case-2")])).toEqual(["unknown x", "unknown x"]);
    expect(reads).toHaveLength(1);
  });

  test("an error naming keys nobody asked for: every caller is read alone", async () => {
    const reads: string[][] = [];
    const read = coalescedRead<string, string>({
      name: "letters",
      maxKeys: 100,
      async read(keys) {
        reads.push([...keys]);
        if (keys.length > 1) throw new Unknown(["X"]);
        return keys.map((key) => key.toUpperCase());
      },
      blamed: (error) => (error instanceof Unknown ? new Set(error.keys) : undefined),
      logger: createLogger({ service: "test", sink: () => {} }),
    });
    expect(await settled([read(["a"], "case-1"), read(["b"], "case-2")])).toEqual(["A", "B"]);
    expect(reads).toEqual([["a", "b"], ["a"], ["b"]]);
  });
});
