import { describe, expect, test } from "bun:test";
import { publicBase } from "./public-url.ts";

const request = (headers: Record<string, string> = {}) => new Request("http://127.0.0.1:3004/tasks", { headers });

describe("publicBase", () => {
  test("is the service's own origin when it is called directly", () => {
    expect(publicBase(request())).toBe("http://127.0.0.1:3004");
  });

  test("is the gateway's origin and stripped prefix behind a proxy", () => {
    const behind = request({ "x-forwarded-host": "localhost:8080", "x-forwarded-proto": "https", "x-forwarded-prefix": "/api" });
    expect(publicBase(behind)).toBe("https://localhost:8080/api");
  });

  test("is the configured public URL's /api when one is set, whatever the request says", () => {
    expect(publicBase(request({ "x-forwarded-host": "evil.example" }), "https://meet.example/")).toBe("https://meet.example/api");
  });

  test("ignores forwarded values that are not well-formed", () => {
    const odd = request({ "x-forwarded-host": "a b/c", "x-forwarded-proto": "javascript", "x-forwarded-prefix": "//evil.example" });
    expect(publicBase(odd)).toBe("http://127.0.0.1:3004");
  });
});
