import type { Logger } from "./logger.ts";

/** Reads the values of `keys`, in their order, under one case id: one call to another service, say. */
export type ManyRead<K, V> = (keys: readonly K[], caseId: string) => Promise<V[]>;

export type CoalescedReadOptions<K, V> = {
  /** What is read, for the log line of a read made for several callers: "members". */
  name: string;
  read: ManyRead<K, V>;
  /** The most keys `read` takes at once; callers are read together only while their keys fit. */
  maxKeys: number;
  /**
   * The keys an error is about, when it is about some keys only (an unknown user, say): the callers that
   * asked for one of them are then read again alone, so each gets the answer it would have got alone, and
   * the others together. Undefined: the error is every caller's answer (the service is down, say).
   */
  blamed?: (error: unknown) => ReadonlySet<K> | undefined;
  logger: Logger;
};

type Caller<K, V> = { keys: readonly K[]; caseId: string; resolve: (values: V[]) => void; reject: (error: unknown) => void };

/**
 * Reads for many callers at once. With no read under way a call is read at once, as without coalescing;
 * while one is, the calls made in one turn of the event loop (the requests a server took in together) wait
 * for its end and go out as one `read` of every key they ask for, as long as those fit in `maxKeys`; each
 * caller gets the values of its own keys, in its order. So a lone request waits for nothing, and under load
 * one read serves many. A caller alone in its turn is read under its own case id; a read for several
 * callers gets a case id of its own, and an info line names it with theirs (`for`), so the calls it made
 * downstream can be found from any of them.
 */
export function coalescedRead<K, V>(options: CoalescedReadOptions<K, V>): ManyRead<K, V> {
  let waiting: Caller<K, V>[] = [];
  let underWay = 0;

  async function read(keys: readonly K[], caseId: string): Promise<V[]> {
    underWay++;
    try {
      return await options.read(keys, caseId);
    } finally {
      underWay--;
    }
  }

  const readAlone = (caller: Caller<K, V>) => read(caller.keys, caller.caseId).then(caller.resolve, caller.reject);

  async function readTogether(callers: Caller<K, V>[]): Promise<void> {
    if (callers.length <= 1) return callers[0] && readAlone(callers[0]);
    const keys = [...new Set(callers.flatMap((caller) => caller.keys))];
    const caseId = crypto.randomUUID();
    options.logger.info(`${options.name} read together`, {
      case_id: caseId,
      for: callers.map((caller) => caller.caseId),
      keys: keys.length,
    });
    let values: V[];
    try {
      values = await read(keys, caseId);
    } catch (error) {
      const blamed = options.blamed?.(error);
      if (!blamed) {
        for (const caller of callers) caller.reject(error);
        return;
      }
      const touched = callers.filter((caller) => caller.keys.some((key) => blamed.has(key)));
      // Keys named otherwise than asked for: nobody can be told apart, so everyone is read alone.
      const alone = new Set(touched.length ? touched : callers);
      for (const caller of alone) void readAlone(caller);
      return readTogether(callers.filter((caller) => !alone.has(caller)));
    }
    const byKey = new Map(keys.map((key, i) => [key, values[i]!]));
    for (const caller of callers) caller.resolve(caller.keys.map((key) => byKey.get(key)!));
  }

  function flush() {
    const callers = waiting;
    waiting = [];
    for (const group of fitting(callers, options.maxKeys)) void readTogether(group);
  }

  return (keys, caseId) => {
    if (underWay === 0 && waiting.length === 0) return read(keys, caseId);
    return new Promise<V[]>((resolve, reject) => {
      if (waiting.push({ keys, caseId, resolve, reject }) === 1) setImmediate(flush);
    });
  };
}

/** The callers in order, in groups whose distinct keys number at most `maxKeys` (a caller over it alone). */
function fitting<K, V>(callers: Caller<K, V>[], maxKeys: number): Caller<K, V>[][] {
  const groups: Caller<K, V>[][] = [];
  let group: Caller<K, V>[] = [];
  let keys = new Set<K>();
  for (const caller of callers) {
    const more = caller.keys.filter((key) => !keys.has(key));
    if (group.length && keys.size + new Set(more).size > maxKeys) {
      groups.push(group);
      group = [];
      keys = new Set();
    }
    group.push(caller);
    for (const key of caller.keys) keys.add(key);
  }
  if (group.length) groups.push(group);
  return groups;
}
