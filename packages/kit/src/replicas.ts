import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

/** Every address a host name stands for; one per replica behind Docker's DNS. */
export type Resolver = (host: string) => Promise<string[]>;

/** The system resolver (getaddrinfo), all addresses. An IP literal is its own single address. */
const resolveAll: Resolver = async (host) => (isIP(host) ? [host] : (await lookup(host, { all: true })).map((entry) => entry.address));

/** How long a resolved answer is used before the next call re-resolves it in the background. */
const REFRESH_MS = 2000;

/**
 * The replicas behind one base URL: resolves all addresses of its host, re-resolves every `refreshMs`
 * (in the background, so calls never wait on DNS once there is an answer) and at once after a failed
 * connection, and picks the address with the fewest calls under way, ties broken round robin. An
 * address that refused a connection is left out for five refresh intervals (DNS may still name a
 * replica that has just died), then tried again.
 */
export function createReplicaSet(host: string, options: { resolve?: Resolver; refreshMs?: number } = {}) {
  const resolve = options.resolve ?? resolveAll;
  const refreshMs = options.refreshMs ?? REFRESH_MS;
  let addresses: string[] = [];
  const outstanding = new Map<string, number>();
  const failedAt = new Map<string, number>();
  const benched = (address: string) => Date.now() - (failedAt.get(address) ?? -Infinity) < 5 * refreshMs;
  let resolvedAt = 0;
  let resolving: Promise<void> | undefined;
  let next = 0;

  const refresh = () => {
    resolving ??= resolve(host)
      .then((answer) => {
        if (answer.length === 0) throw new Error(`${host} has no address`);
        addresses = [...new Set(answer)];
        for (const address of failedAt.keys()) if (!addresses.includes(address)) failedAt.delete(address);
      })
      .catch((error) => {
        // A failed lookup keeps the last answer: a DNS hiccup must not take every replica away.
        if (addresses.length === 0) throw error;
      })
      .finally(() => {
        resolvedAt = Date.now();
        resolving = undefined;
      });
    return resolving;
  };

  /**
   * Among the addresses not in `tried`, those not benched if any, the one with the fewest calls under way,
   * ties broken round robin; counted as under way at once. Walks the list without building any.
   */
  const choose = (tried: ReadonlySet<string> | undefined): string | undefined => {
    if (Date.now() - resolvedAt > refreshMs) void refresh();
    const count = addresses.length;
    let best: string | undefined;
    let bestLoad = 0;
    let bestBenched = true;
    for (let i = 0; i < count; i++) {
      const address = addresses[(next + i) % count]!;
      if (tried?.has(address)) continue;
      const isBenched = failedAt.size > 0 && benched(address);
      const load = outstanding.get(address) ?? 0;
      if (best === undefined || (bestBenched && !isBenched) || (isBenched === bestBenched && load < bestLoad)) {
        best = address;
        bestLoad = load;
        bestBenched = isBenched;
      }
    }
    next++;
    if (best !== undefined) outstanding.set(best, bestLoad + 1);
    return best;
  };

  return {
    /**
     * The address to call next, not one of `tried`, counted as under way until `done` is called with it;
     * undefined when none is left. Picks and counts in one step, so calls started together spread.
     */
    async pick(tried?: ReadonlySet<string>): Promise<string | undefined> {
      if (addresses.length === 0) await refresh();
      return choose(tried);
    },
    /** As `pick`, without waiting: undefined also when no address is known yet (then `pick` asks DNS). */
    pickKnown(tried?: ReadonlySet<string>): string | undefined {
      return addresses.length === 0 ? undefined : choose(tried);
    },
    /** A call to `address` has its answer (or failed). */
    done(address: string): void {
      outstanding.set(address, (outstanding.get(address) ?? 1) - 1);
    },
    /** `address` refused or dropped a connection: leave it out and ask DNS again now. */
    async failedToConnect(address: string): Promise<void> {
      failedAt.set(address, Date.now());
      await refresh().catch(() => {});
    },
    /** Every address the host resolves to now, benched ones included, asked of DNS again when stale. */
    async all(): Promise<string[]> {
      if (addresses.length === 0 || Date.now() - resolvedAt > refreshMs) await refresh();
      return [...addresses];
    },
    /** The addresses calls go to now (known and not benched); for tests and diagnostics. */
    inUse: () => addresses.filter((address) => !benched(address)),
  };
}
