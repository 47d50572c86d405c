// The floor of a cache hit on this machine: the least a server can do for GET /users/{email}/availability.
//   bun bench/floor-server.ts static   a fixed JSON answer from Bun.serve (no framework, no Redis)
//   bun bench/floor-server.ts redis    Bun.serve answering one Redis GET (the cache hit minus W2Meet)
// then: .tools/bin/k6 run -e URL=http://127.0.0.1:3999/users/a@x.io/availability k6/floor.js
export {};

const mode = process.argv[2] ?? "static";
const answer = JSON.stringify({ email: "a@x.io", availabilities: { monday: [9, 10] }, preference: "first" });
const headers = { "content-type": "application/json" };

if (mode === "redis") {
  // Bun's own Redis client: no dependency, and no slower than the users service's client.
  const redis = new Bun.RedisClient(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
  await redis.set("w2meet-floor:answer", answer, "EX", "3600");
  Bun.serve({ port: 3999, fetch: async () => new Response(await redis.get("w2meet-floor:answer"), { headers }) });
} else {
  Bun.serve({ port: 3999, fetch: () => new Response(answer, { headers }) });
}
console.log(`floor server (${mode}) on http://127.0.0.1:3999`);
