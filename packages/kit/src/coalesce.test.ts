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
  test("a call with no read under way is read at once, under its own case id, with no line", async () => {
    const { read, reads, lines } = store();
    const answer = read(["a", "b"], "case-1");
    expect(reads).toEqual([{ keys: ["a", "b"], caseId: "case-1" }]);
    expect(await answer).toEqual(["A", "B"]);
    expect(await read(["c"], "case-2")).toEqual(["C"]);
    expect(reads.map((r) => r.caseId)).toEqual(["case-1", "case-2"]);
    expect(lines).toEqual([]);
  });

  test("while a read is under way, the calls of one turn are one read of every key they ask for, each answered its own keys in its order", async () => {
    const { read, reads, lines } = store();
    const answers = await settled([read(["z"], "case-0"), read(["b", "a"], "case-1"), read(["a", "c"], "case-2"), read(["d"], "case-3")]);
    expect(answers).toEqual(["Z", "B,A", "A,C", "D"]);
    expect(reads.map((r) => r.keys)).toEqual([["z"], ["b", "a", "c", "d"]]);
    // The shared read has a case id of its own, and one line ties it to every caller's.
    const { caseId } = reads[1]!;
    expect(["case-0", "case-1", "case-2", "case-3"]).not.toContain(caseId);
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

  test("a caller alone in its turn behind a read under way is read under its own case id, with no line", async () => {
    const { read, reads, lines } = store();
    expect(await settled([read(["z"], "case-0"), read(["c"], "case-1")])).toEqual(["Z", "C"]);
    expect(reads).toEqual([
      { keys: ["z"], caseId: "case-0" },
      { keys: ["c"], caseId: "case-1" },
    ]);
    expect(lines).toEqual([]);
  });

  test("a call once the reads under way have ended is read at once again", async () => {
    const { read, reads } = store();
    const first = read(["a"], "case-1");
    await nextTurn();
    await nextTurn();
    const second = read(["b"], "case-2");
    expect(reads.map((r) => r.keys)).toEqual([["a"], ["b"]]);
    expect(await settled([first, second])).toEqual(["A", "B"]);
  });

  test("callers whose keys together pass the most a read takes go in another read", async () => {
    const { read, reads } = store({ maxKeys: 3 });
    const answers = await settled([
      read(["z"], "case-0"),
      read(["a", "b"], "case-1"),
      read(["c", "d"], "case-2"),
      read(["d", "e"], "case-3"),
      read(["a"], "case-4"),
    ]);
    expect(answers).toEqual(["Z", "A,B", "C,D", "D,E", "A"]);
    // Greedy in order: a,b alone (c,d would make four); c,d,e together; then a.
    expect(reads.map((r) => r.keys)).toEqual([["z"], ["a", "b"], ["c", "d", "e"], ["a"]]);
    expect(reads[1]!.caseId).toBe("case-1");
    expect(reads[3]!.caseId).toBe("case-4");
  });

  test("an error about some keys: their callers are read alone and get their own error, the others are read together again", async () => {
    const { read, reads } = store({ unknown: ["x", "y"] });
    const answers = await settled([
      read(["z"], "case-0"),
      read(["a", "x"], "case-1"),
      read(["b"], "case-2"),
      read(["y", "c"], "case-3"),
      read(["c"], "case-4"),
    ]);
    expect(answers).toEqual(["Z", "unknown x", "B", "unknown y", "C"]);
    expect(reads.map((r) => r.keys)).toEqual([["z"], ["a", "x", "b", "y", "c"], ["a", "x"], ["y", "c"], ["b", "c"]]);
    expect(reads[2]!.caseId).toBe("case-1");
    expect(reads[3]!.caseId).toBe("case-3");
  });

  test("an error about keys every caller asked for: each is read alone, and no read is left for the others", async () => {
    const { read, reads, lines } = store({ unknown: ["x"] });
    const answers = await settled([read(["z"], "case-0"), read(["a", "x"], "case-1"), read(["x", "b"], "case-2")]);
    expect(answers).toEqual(["Z", "unknown x", "unknown x"]);
    expect(reads.map((r) => r.keys)).toEqual([["z"], ["a", "x", "b"], ["a", "x"], ["x", "b"]]);
    expect(lines).toHaveLength(1);
  });

  test("an error about no key in particular is every caller's answer, from the one read", async () => {
    const { read, reads } = store({ down: true });
    const answers = await settled([read(["z"], "case-0"), read(["a"], "case-1"), read(["b"], "case-2")]);
    expect(answers).toEqual(["the store is down", "the store is down", "the store is down"]);
    expect(reads.map((r) => r.keys)).toEqual([["z"], ["a", "b"]]);
  });

  test("without a way to tell which keys an error is about, it is every caller's answer", async () => {
    const { read, reads } = store({ unknown: ["x"], blames: false });
    const answers = await settled([read(["z"], "case-0"), read(["a", "x"], "case-1"), read(["b"], "case-2")]);
    expect(answers).toEqual(["Z", "unknown x", "unknown x"]);
    expect(reads).toHaveLength(2);
  });

  test("an error naming keys nobody asked for: every caller is read alone", async () => {
    const reads: string[][] = [];
    const read = coalescedRead<string, string>({
      name: "letters",
      maxKeys: 100,
      async read(keys) {
        reads.push([...keys]);
        await nextTurn();
        if (keys.length > 1) throw new Unknown(["X"]);
        return keys.map((key) => key.toUpperCase());
      },
      blamed: (error) => (error instanceof Unknown ? new Set(error.keys) : undefined),
      logger: createLogger({ service: "test", sink: () => {} }),
    });
    expect(await settled([read(["z"], "case-0"), read(["a"], "case-1"), read(["b"], "case-2")])).toEqual(["Z", "A", "B"]);
    expect(reads).toEqual([["z"], ["a", "b"], ["a"], ["b"]]);
  });
});
