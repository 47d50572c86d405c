import { freePort } from "./network.ts";

/**
 * A TCP proxy to a real server (Redis, RabbitMQ, Postgres, …) that a test can cut and restore, to see a
 * client lose its server and get it back without stopping the shared server itself; or black-hole,
 * to see it face a server that went silent (a host gone without a reset: connections stay open, nothing
 * flows either way).
 */
export function startTcpProxy(target: string) {
  const { hostname, port: targetPort, protocol } = new URL(target);
  type Pair = { client: Bun.Socket<Pair>; upstream?: Bun.Socket<unknown>; pending: Uint8Array[] };
  const pairs = new Set<Pair>();
  const port = freePort();
  let listener: Bun.TCPSocketListener<Pair> | undefined;
  let silent = false;
  const listen = () => {
    listener = Bun.listen<Pair>({
      hostname: "127.0.0.1",
      port,
      socket: {
        open(client) {
          const pair: Pair = { client, pending: [] };
          client.data = pair;
          pairs.add(pair);
          if (silent) return;
          void Bun.connect({
            hostname,
            port: Number(targetPort),
            socket: {
              open(upstream) {
                pair.upstream = upstream;
                for (const chunk of pair.pending) upstream.write(chunk);
                pair.pending = [];
              },
              data: (_, chunk) => {
                if (!silent) pair.client.write(chunk);
              },
              close: () => {
                pair.client.end();
              },
              error: () => {
                pair.client.end();
              },
            },
          }).catch(() => client.end());
        },
        data(client, chunk) {
          if (silent) return;
          if (client.data.upstream) client.data.upstream.write(chunk);
          else client.data.pending.push(new Uint8Array(chunk));
        },
        close(client) {
          client.data.upstream?.end();
          pairs.delete(client.data);
        },
      },
    });
  };
  const dropAll = () => {
    for (const pair of pairs) {
      pair.client.end();
      pair.upstream?.end();
    }
    pairs.clear();
  };
  listen();
  return {
    url: `${protocol}//127.0.0.1:${port}`,
    /** Drops every connection and refuses new ones, as a server that went away. */
    cut() {
      listener?.stop(true);
      listener = undefined;
      dropAll();
    },
    /** Accepts connections again on the same port. */
    restore: listen,
    /** Keeps every connection open and accepts new ones, but nothing gets through either way any more. */
    blackhole() {
      silent = true;
    },
    /**
     * Ends a black-hole: the connections that lost data in it are dropped (as TCP gives up on them),
     * new ones go through again.
     */
    heal() {
      silent = false;
      dropAll();
    },
    stop() {
      this.cut();
    },
  };
}
