import { buildAvailabilityApp } from "./src/app.ts";
import { loadAvailabilityConfig } from "./src/config.ts";
import { createLogger } from "@w2meet/kit";
const NEW = process.env.NEW === "1";
const m = (e: string, z: string) => ({ email: e, availabilities: { monday: [9,10,11,12,13,14], tuesday: [8,9,10,15,16], wednesday: [10,11], thursday: [9,10,11,12], friday: [14,15,16], saturday: [], sunday: [] }, ...(NEW ? { if_needed: { monday: [], tuesday: [], wednesday: [], thursday: [], friday: [], saturday: [], sunday: [] }, time_zone: z, dates: [] } : {}), preference: "first" as const });
const body = { users: [m("a@x.io", process.env.Z1 ?? "UTC"), m("b@x.io", process.env.Z2 ?? "UTC")], missing: [] };
const users = { get: async () => ({ ok: true, status: 200, body: JSON.parse(JSON.stringify(body)) }), live: async () => true } as any;
const config = loadAvailabilityConfig({ USERS_URL: "http://127.0.0.1:9", LOG_LEVEL: "error" });
const app = buildAvailabilityApp(config, { users, logger: createLogger({ service: "a", level: "error", sink: () => {} }) } as any);
const first = await app.handle(new Request("http://localhost/availability/common_availabilities?users=a@x.io,b@x.io&include=members")); console.log(first.status, (await first.text()).slice(0, 120));
for (let r = 0; r < 10; r++) {
  const t = performance.now();
  for (let i = 0; i < 20000; i++) await (await app.handle(new Request("http://localhost/availability/common_availabilities?users=a@x.io,b@x.io&include=members"))).text();
  console.log(((performance.now() - t) / 20000 * 1000).toFixed(2), "µs");
}
