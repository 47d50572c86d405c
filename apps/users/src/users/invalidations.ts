import { errorFields, type Logger } from "@w2meet/kit";
import type { Deadline, Sql } from "@w2meet/kit/postgres";
import type postgres from "postgres";
import type { UserAvailability } from "@w2meet/contracts";
import { availabilityJson, type AvailabilityCache, datesColumn } from "./cache.ts";

/** Where a replica whose write did not reach Redis tells the others, so they stop serving that user from it. */
const CHANNEL = "users_cache";
const RETRY_FIRST_MS = 50;
const RETRY_MAX_MS = 1000;
/** Finds rows left by a replica that died, or notifications missed while the listening connection was down. */
const SWEEP_MS = 5000;
/** A row younger than this may be a write still on its way to Redis: not the sweep's business yet. */
const SWEEP_AFTER_SECONDS = 2;

type Replay = { email: string; version: string; current_version: string | null } & Partial<Omit<UserAvailability, "email">>;

/**
 * The cache updates writes could not be sure of, kept in Postgres with the writes themselves, and this
 * replica's trust in its cache.
 *
 * A write records `(email, version)` in its own transaction and settles it once Redis holds the new
 * state. Whatever is left — Redis was unreachable, or the process stopped after its commit — is
 * replayed from Postgres into Redis (newer versions only) by any replica that can reach Redis.
 *
 * A replica serves a cached read only when Redis has not failed it since its last complete replay, and
 * no write of that user it was told about is still unapplied: a replica whose write did not reach Redis
 * says so on a channel every replica listens to, and a periodic sweep finds rows a replica left when it
 * died. So an entry Redis kept through a partition is not served after a write it missed.
 */
export function createInvalidationLedger(options: { sql: Sql; inTime: Deadline; cache: AvailabilityCache; logger: Logger }) {
  const { sql, inTime, cache, logger } = options;
  // The cache's failure count when the last complete replay started; -1: never replayed.
  let trustedAt = -1;
  // Users with a write this replica was told of and has not replayed yet, by notice number.
  const pending = new Map<string, number>();
  let notices = 0;
  let running = false;
  let again = false;
  let retryMs = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sweeper: ReturnType<typeof setInterval> | undefined;
  let unlisten: (() => Promise<void>) | undefined;
  let stopped = false;
  let lastWarning = -Infinity;

  const trusted = () => trustedAt === cache.failures;
  // Redis failed a command: from now on, try to replay (with backoff) until it answers again.
  cache.onFailure(() => schedule(retryMs));
  const needed = () => !trusted() || pending.size > 0;

  async function replay(): Promise<void> {
    const failuresAtStart = cache.failures;
    const noticesAtStart = notices;
    await cache.ping();
    const rows = await sql<Replay[]>`
      select i.email, i.version::text as version, u.version::text as current_version,
        u.availabilities, u.if_needed, u.time_zone, u.preference, ${datesColumn(sql)}
      from (select email, max(version) as version from cache_invalidations group by email) i
      left join users u on lower(u.email) = i.email`;
    for (const row of rows) {
      const stored = row.current_version
        ? await cache.put(row.email, row.current_version, availabilityJson(row as Replay & Required<UserAvailability>))
        : await cache.forget(row.email, row.version);
      if (!stored) throw new Error("redis did not take the replayed state");
    }
    if (rows.length) {
      await sql`
        delete from cache_invalidations i
        using unnest(${rows.map((r) => r.email)}::text[], ${rows.map((r) => r.version)}::bigint[]) as done(email, version)
        where i.email = done.email and i.version <= done.version`;
    }
    if (cache.failures === failuresAtStart) trustedAt = failuresAtStart;
    for (const [email, notice] of pending) if (notice <= noticesAtStart) pending.delete(email);
  }

  function schedule(delayMs: number) {
    if (stopped || timer) return;
    timer = setTimeout(run, delayMs);
    timer.unref?.();
  }

  async function run() {
    timer = undefined;
    if (running) {
      again = true;
      return;
    }
    running = true;
    try {
      await replay();
      retryMs = 0;
    } catch (error) {
      retryMs = Math.min(Math.max(retryMs * 2, RETRY_FIRST_MS), RETRY_MAX_MS);
      if (performance.now() - lastWarning > 5000) {
        lastWarning = performance.now();
        logger.warn("cache invalidations not replayed yet; reading from Postgres", { ...errorFields(error), stack: undefined });
      }
    } finally {
      running = false;
    }
    if (again || needed()) {
      again = false;
      schedule(retryMs);
    }
  }

  const notified = (email: string) => {
    pending.set(email, ++notices);
    schedule(0);
  };

  async function listen() {
    try {
      // onlisten runs again after every reconnection: notices may have been missed meanwhile.
      const listening = await sql.listen(CHANNEL, notified, () => schedule(0));
      unlisten = listening.unlisten;
    } catch (error) {
      logger.warn("cannot listen for cache invalidations yet", { ...errorFields(error), stack: undefined });
    }
  }

  async function sweep() {
    if (!unlisten) await listen();
    const rows = await sql<{ email: string }[]>`
      select distinct email from cache_invalidations
      where recorded_at < now() - make_interval(secs => ${SWEEP_AFTER_SECONDS}) limit 1000`.catch(() => []);
    for (const { email } of rows) notified(email);
  }

  return {
    /** Whether a cached answer for this (lower-cased) email may be served, or a cache fill attempted. */
    mayServe(email: string): boolean {
      return trusted() && (pending.size === 0 || !pending.has(email));
    },
    /** Whether this replica uses its cache at all right now. */
    get trusted() {
      return trusted();
    },
    /** Records, inside the write's transaction, that Redis must come to hold this version of the user. */
    record: (tx: postgres.TransactionSql, email: string, version: string) =>
      tx`insert into cache_invalidations (email, version) values (${email}, ${version})`,
    /** The write of this user did not reach Redis: every replica stops serving them from it until replayed. */
    async announce(email: string): Promise<void> {
      notified(email);
      // Not told, the others still learn of it from the sweep.
      await inTime(sql`select pg_notify(${CHANNEL}, ${email})`).catch(() => {});
    },
    /** Redis holds `version` of the user: nothing is left to replay for it up to there. */
    async settle(email: string, version: string): Promise<void> {
      await inTime(sql`delete from cache_invalidations where email = ${email} and version <= ${version}`).catch((error) =>
        logger.warn("cache invalidation left to replay", { ...errorFields(error), stack: undefined }),
      );
    },
    /** Listens for other replicas' writes and replays what is pending before the cache is trusted. */
    async start(): Promise<void> {
      stopped = false;
      await listen();
      sweeper = setInterval(() => void sweep(), SWEEP_MS);
      sweeper.unref?.();
      schedule(0);
    },
    async stop(): Promise<void> {
      stopped = true;
      clearTimeout(timer);
      clearInterval(sweeper);
      await unlisten?.().catch(() => {});
      unlisten = undefined;
    },
  };
}
export type InvalidationLedger = ReturnType<typeof createInvalidationLedger>;
