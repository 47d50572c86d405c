import { afterAll, beforeAll, expect, test } from "bun:test";
import { fuzzFromOpenApi } from "@w2meet/testing";
import { startHttpApp, type HttpApp } from "../test/http-app.ts";

let http: HttpApp;
beforeAll(async () => {
  http = await startHttpApp();
});
afterAll(() => http.close());

test("answers requests fuzzed from its OpenAPI document with no 5xx, and every 4xx a problem with its case id", async () => {
  const { seed, failures } = await fuzzFromOpenApi(http.app, { runs: 500 });
  expect({ seed, failures }).toEqual({ seed, failures: [] });
});
