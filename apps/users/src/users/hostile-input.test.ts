import { afterAll, beforeAll, beforeEach, describe, expect, test } from "bun:test";
import { jsonRequest, waitFor } from "@w2meet/testing";
import { ada, adminToken, bearer, clearCache, usersApp, usersDatabase, uniquePrefix } from "../../test/harness.ts";

let db: Awaited<ReturnType<typeof usersDatabase>>;
let app: ReturnType<typeof usersApp>["app"];
let redis: ReturnType<typeof usersApp>["redis"];
let asAdmin: Record<string, string>;
const prefix = uniquePrefix();

beforeAll(async () => {
  db = await usersDatabase();
  ({ app, redis } = usersApp({ sql: db.sql, prefix }));
  await waitFor(() => redis.connected, { what: "redis" });
  asAdmin = bearer(await adminToken(app));
});
afterAll(async () => {
  redis.close();
  await db.close();
});
beforeEach(async () => {
  await db.sql`delete from users`;
  await clearCache(redis, prefix);
});

type Answer = { status: number; type: string | null; caseId: string | null; body: any };
async function answer(request: Request): Promise<Answer> {
  const response = await app.handle(request);
  return {
    status: response.status,
    type: response.headers.get("content-type"),
    caseId: response.headers.get("case-id"),
    body: await response.json(),
  };
}
const call = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  answer(jsonRequest(method, path, body, headers));
const rawBody = (method: string, path: string, text: string) =>
  answer(new Request(`http://localhost${path}`, { method, headers: { "content-type": "application/json" }, body: text }));
const userCount = async () => Number((await db.sql`select count(*)::int as n from users`)[0]!.n);

function expectRefused(result: Answer, path: string) {
  expect(result.status).toBe(400);
  expect(result.type).toBe("application/problem+json");
  expect(result.body.case_id).toBe(result.caseId!);
  expect(result.body.errors.map((error: { path: string }) => error.path)).toContain(path);
}

const week = { monday: [9] };
const badNames: [string, string][] = [
  ["a NUL character", "Ada\u0000Lovelace"],
  ["a line break", "Ada\nLovelace"],
  ["DEL", "Ada\u007f"],
  ["a C1 control", "Ada\u009b"],
  ["a right-to-left override", "Ada \u202eecalevoL"],
  ["a first-strong isolate", "\u2068Ada\u2069"],
  ["only spaces", "   "],
  ["only Unicode spaces", "\u00a0\u2003\u3000"],
];

describe("names", () => {
  for (const [what, name] of badNames) {
    test(`refuses a name with ${what} on POST and PUT, naming the field, and writes nothing`, async () => {
      expectRefused(await call("POST", "/users", { ...ada, name }), "name");
      expect(await userCount()).toBe(0);
      await call("POST", "/users", ada);
      expectRefused(await call("PUT", "/users/ada@example.com", { name, availabilities: week, preference: "first" }), "name");
      expect((await call("GET", "/users/ada@example.com")).body.name).toBe(ada.name);
    });
  }

  test("keeps accepting names in any script, with accents, emoji and spaces around them", async () => {
    for (const name of ["Zoë Ångström", " 李雷 ", "Ada 😀", "O'Brien-Smith", "محمد"]) {
      const { status } = await call("POST", "/users", { email: `p${crypto.randomUUID().slice(0, 6)}@example.com`, name });
      expect(status).toBe(201);
    }
  });
});

describe("hostile bodies", () => {
  const deep = "[".repeat(32_000) + "]".repeat(32_000);
  const bodies: [string, (put: boolean) => string, string][] = [
    ["a body nested 32,000 deep", () => deep, "[0]"],
    [
      "a name nested 32,000 deep",
      (put) => JSON.stringify({ ...(put ? {} : { email: "h@example.com" }), name: "n" }).replace('"n"', deep),
      "name",
    ],
    [
      "a week with a 10,000-element day",
      (put) =>
        JSON.stringify({
          ...(put ? { preference: "first" } : { email: "h@example.com" }),
          name: "Ada",
          availabilities: { monday: Array(10_000).fill(9) },
        }),
      "availabilities.monday",
    ],
    [
      "a 60 KB name",
      (put) =>
        JSON.stringify({ ...(put ? { availabilities: week, preference: "first" } : { email: "h@example.com" }), name: "x".repeat(60_000) }),
      "name",
    ],
  ];
  for (const [what, body, path] of bodies) {
    test(`answers ${what} with a 400 problem naming ${path}, on POST and PUT`, async () => {
      await call("POST", "/users", ada);
      for (const [method, route, put] of [
        ["POST", "/users", false],
        ["PUT", "/users/ada@example.com", true],
      ] as const) {
        const result = await rawBody(method, route, body(put));
        expect(result.status).toBe(400);
        expect(result.body.case_id).toBe(result.caseId!);
        expect(result.body.errors.some((error: { path: string }) => error.path.startsWith(path))).toBe(true);
      }
      expect(await userCount()).toBe(1);
    });
  }
});

describe("cursor", () => {
  const cursorOf = (text: string) => Buffer.from(text).toString("base64url");
  const cases: [string, string][] = [
    ["not base64url", "not*a+cursor/"],
    ["decoding to NUL bytes", cursorOf("a\u0000@example.com")],
    ["decoding to bytes that are not UTF-8", Buffer.from([0xff, 0xfe, 0x00]).toString("base64url")],
    ["decoding to something that is not an email", cursorOf("not-an-email")],
    ["with characters base64url decoding skips", `${cursorOf("a@example.com")}=`],
    ["not as the service encodes it", `${cursorOf("a@example.com")}A`],
  ];
  for (const [what, cursor] of cases) {
    test(`answers 400 naming cursor for a cursor ${what}`, async () => {
      expectRefused(
        await answer(new Request(`http://localhost/users?cursor=${encodeURIComponent(cursor)}`, { headers: asAdmin })),
        "cursor",
      );
    });
  }

  test("takes an empty cursor as the first page", async () => {
    await call("POST", "/users", ada);
    const result = await call("GET", "/users?cursor=", undefined, asAdmin);
    expect(result.status).toBe(200);
    expect(result.body.users).toHaveLength(1);
  });
});
