import { afterAll, beforeAll, expect, test } from "bun:test";
import { createLogger } from "@w2meet/kit";
import { TEST_REDIS_URL, waitFor } from "@w2meet/testing";
import { createRedis } from "../clients.ts";
import { createAvailabilityCache } from "./cache.ts";
import { clearCache, uniquePrefix } from "../../test/harness.ts";

const logger = createLogger({ service: "users", level: "error" });
const redis = createRedis(TEST_REDIS_URL, logger);
const prefix = uniquePrefix();
const cache = createAvailabilityCache({ redis: redis.client, prefix, ttlSeconds: 60, logger });

beforeAll(() => waitFor(() => redis.connected, { what: "redis" }));
afterAll(async () => {
  await clearCache(redis, prefix);
  redis.close();
});

test("keeps the newer of two writes whatever order they arrive in", async () => {
  await cache.put("a@x.io", 7, '{"v":7}');
  await cache.put("a@x.io", 5, '{"v":5}');
  expect(await cache.get("a@x.io")).toBe('{"v":7}');
  await cache.put("a@x.io", 9, '{"v":9}');
  expect(await cache.get("a@x.io")).toBe('{"v":9}');
});

test("a forgotten user stays forgotten against an older fill but not a newer write", async () => {
  await cache.put("b@x.io", 3, '{"v":3}');
  await cache.forget("b@x.io", 4);
  await cache.put("b@x.io", 3, '{"v":3}');
  expect(await cache.get("b@x.io")).toBeNull();
  await cache.put("b@x.io", 5, '{"v":5}');
  expect(await cache.getMany(["b@x.io", "c@x.io"])).toEqual(['{"v":5}', null]);
});

test("entries expire after the TTL", async () => {
  await cache.put("c@x.io", 1, "{}");
  const ttl = await redis.client.ttl(`${prefix}user:c@x.io:availability`);
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(60);
});
