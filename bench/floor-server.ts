// The floor on this machine: the least plain Bun.serve processes can do for the same hops as W2Meet's routes,
// with no framework, no validation, no logs. `bun run bench --only=floor` starts them next to the real services.
//   bun bench/floor-server.ts static     a fixed JSON answer (no Redis)
//   bun bench/floor-server.ts cache-hit  GET /users/{email}/availability: one Redis GET of the users cache's key
//   bun bench/floor-server.ts users      GET /users/availability?users=a,b: one Redis MGET, the group answer spliced
//   bun bench/floor-server.ts relay      any ?users=a,b: one fetch of $UPSTREAM<a,b>, its body passed on
// Env: FLOOR (the mode, instead of the argument), PORT (3999), REDIS_URL, CACHE_PREFIX (the users service's, so the floor reads the same entries), UPSTREAM.
// The suggestions floor is relay (suggestions) -> relay (availability) -> users, as the real call goes.
export {};

const mode = process.env.FLOOR ?? process.argv[2] ?? "static";
const port = Number(process.env.PORT ?? 3999);
const prefix = process.env.CACHE_PREFIX ?? "w2meet-floor:";
const headers = { "content-type": "application/json" };
const key = (email: string) => `${prefix}user:${email}:availability`;
// Cache entries are "<version>|<json>", as the users service writes them.
const payload = (entry: string | null) => (entry ? entry.slice(entry.indexOf("|") + 1) : "");
const live = () => new Response('{"status":"ok"}', { headers });
const usersOf = (url: URL) => url.searchParams.get("users") ?? "";

// Bun's own Redis client: no dependency, and no slower than the users service's client.
const redis = mode === "cache-hit" || mode === "users" ? new Bun.RedisClient(process.env.REDIS_URL ?? "redis://127.0.0.1:6379") : undefined;

const answers: Record<string, (request: Request, url: URL) => Promise<Response> | Response> = {
  static: () => new Response('{"email":"a@x.io","availabilities":{"monday":[9,10]},"preference":"first"}', { headers }),
  "cache-hit": async (_request, url) => {
    const email = decodeURIComponent(url.pathname.split("/")[2] ?? "");
    return new Response(payload(await redis!.get(key(email))), { headers });
  },
  users: async (_request, url) => {
    const emails = usersOf(url).split(",");
    const entries = (await redis!.send("MGET", emails.map(key))) as (string | null)[];
    return new Response(`{"users":[${entries.map(payload).join(",")}],"missing":[]}`, { headers });
  },
  relay: async (_request, url) => {
    const upstream = await fetch(`${process.env.UPSTREAM}${usersOf(url)}`);
    return new Response(await upstream.text(), { status: upstream.status, headers });
  },
};
const answer = answers[mode];
if (!answer) throw new Error(`unknown floor mode ${mode}: static, cache-hit, users or relay`);

Bun.serve({
  port,
  fetch: (request) => {
    const url = new URL(request.url);
    return url.pathname === "/health/live" ? live() : answer(request, url);
  },
});
console.log(`floor server (${mode}) on http://127.0.0.1:${port}`);
