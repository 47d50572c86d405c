import { capturedLogger } from "@w2meet/testing";
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, freePort, TEST_REDIS_URL, waitFor } from "@w2meet/testing";
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify, SignJWT } from "jose";
import { newSigningKey, uniquePrefix } from "../../test/harness.ts";
import { loadUsersConfig } from "../config.ts";
import { loadSigningKeys } from "./keys.ts";

const ENTRY = join(import.meta.dir, "..", "index.ts");
const folders: string[] = [];
const folder = () => {
  const made = mkdtempSync(join(tmpdir(), "w2meet-keys-"));
  folders.push(made);
  return made;
};
afterAll(() => {
  for (const made of folders) rmSync(made, { recursive: true, force: true });
});

const keysOf = (env: Record<string, string>) => {
  const { logger, lines } = capturedLogger("users", "debug");
  return { keys: loadSigningKeys(loadUsersConfig(env), logger), lines };
};

/** Starts the users service's entry point as a process (in `cwd` when given), with a cache prefix of its own. */
const startUsers = (env: Record<string, string>, cwd?: string) =>
  Bun.spawn(["bun", ENTRY], {
    env: { ...process.env, LOG_LEVEL: "warn", CACHE_PREFIX: uniquePrefix(), ...env },
    cwd,
    stdout: "pipe",
    stderr: "pipe",
  });

describe("the development key", () => {
  test("is made once, kept with mode 0600 and a clear warning, and the same key is read back on the next start", () => {
    const file = join(folder(), "nested", "key.json");
    const first = keysOf({ JWT_KEY_FILE: file });
    expect((statSync(file).mode & 0o777).toString(8)).toBe("600");
    const stored = readFileSync(file, "utf8");
    expect(JSON.parse(stored)).toMatchObject({ kty: "OKP", crv: "Ed25519", kid: first.keys.kid, d: expect.any(String) });
    expect(first.lines.map((line) => line.msg)).toContain("made a development signing key");
    expect(first.lines.some((line) => line.level === "warn" && String(line.msg).includes("DEVELOPMENT key"))).toBe(true);

    const second = keysOf({ JWT_KEY_FILE: file });
    expect(second.keys.jwks).toEqual(first.keys.jwks);
    expect(readFileSync(file, "utf8")).toBe(stored);
    expect(second.lines.map((line) => line.msg)).not.toContain("made a development signing key");
    expect(second.lines.some((line) => String(line.msg).includes("DEVELOPMENT key"))).toBe(true);
  });

  test("is not used when JWT_PRIVATE_KEY is set", () => {
    const file = join(folder(), "key.json");
    const key = newSigningKey("configured");
    const { keys, lines } = keysOf({ JWT_PRIVATE_KEY: key.json, JWT_KEY_FILE: file });
    expect(keys.kid).toBe("configured");
    expect(() => statSync(file)).toThrow();
    expect(lines).toEqual([]);
  });

  test("that cannot be written stops the start naming JWT_KEY_FILE", () => {
    expect(() => keysOf({ JWT_KEY_FILE: "/dev/null/key.json" })).toThrow("JWT_KEY_FILE");
  });

  test("in a file that is not a key stops the start naming JWT_KEY_FILE", () => {
    const file = join(folder(), "key.json");
    writeFileSync(file, "not a key");
    expect(() => keysOf({ JWT_KEY_FILE: file })).toThrow("JWT_KEY_FILE");
  });

  describe("of a service started natively, twice, from one folder", () => {
    let database: Awaited<ReturnType<typeof createTestDatabase>>;
    beforeAll(async () => {
      database = await createTestDatabase("w2meet_users_keys");
    });
    afterAll(() => database.drop());

    test("is made in .w2meet/ of the working directory on the first start and signs the same tokens on the second", async () => {
      const cwd = folder();
      const jwksOfOneStart = async () => {
        const port = freePort();
        const child = startUsers({ PORT: String(port), DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, JWT_PRIVATE_KEY: "" }, cwd);
        try {
          await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/health/live`).catch(() => undefined))?.ok === true, {
            timeoutMs: 15_000,
            what: "users to start",
          });
          return (await (await fetch(`http://127.0.0.1:${port}/auth/jwks.json`)).json()) as JSONWebKeySet;
        } finally {
          child.kill();
          await child.exited;
        }
      };
      const first = await jwksOfOneStart();
      const file = join(cwd, ".w2meet", "jwt-signing-key.json");
      expect((statSync(file).mode & 0o777).toString(8)).toBe("600");
      const second = await jwksOfOneStart();
      expect(second).toEqual(first);
      // A token signed with the kept key verifies against what either start published.
      const { keys } = keysOf({ JWT_KEY_FILE: file });
      const token = await new SignJWT({})
        .setProtectedHeader({ alg: "EdDSA", kid: keys.kid })
        .setSubject("a@example.com")
        .sign(keys.privateKey);
      expect((await jwtVerify(token, createLocalJWKSet(first))).payload.sub).toBe("a@example.com");
    }, 40_000);
  });
});

describe("a malformed key setting", () => {
  const key = newSigningKey("k1");
  const other = newSigningKey("k2");
  const cases: [string, Record<string, string>, string][] = [
    ["JWT_PRIVATE_KEY that is not JSON", { JWT_PRIVATE_KEY: "{not json" }, "JWT_PRIVATE_KEY"],
    ["JWT_PRIVATE_KEY without a kid", { JWT_PRIVATE_KEY: JSON.stringify({ ...key.jwk, kid: undefined }) }, "JWT_PRIVATE_KEY"],
    ["JWT_PRIVATE_KEY that is only a public key", { JWT_PRIVATE_KEY: JSON.stringify({ ...key.jwk, d: undefined }) }, "JWT_PRIVATE_KEY"],
    ["JWT_PRIVATE_KEY whose x is another key's", { JWT_PRIVATE_KEY: JSON.stringify({ ...key.jwk, x: other.jwk.x }) }, "JWT_PRIVATE_KEY"],
    ["JWT_PRIVATE_KEY on another curve", { JWT_PRIVATE_KEY: JSON.stringify({ ...key.jwk, crv: "X25519" }) }, "JWT_PRIVATE_KEY"],
    [
      "JWT_PREVIOUS_PUBLIC_KEYS that is not a list",
      { JWT_PRIVATE_KEY: key.json, JWT_PREVIOUS_PUBLIC_KEYS: "{}" },
      "JWT_PREVIOUS_PUBLIC_KEYS",
    ],
    [
      "JWT_PREVIOUS_PUBLIC_KEYS holding a private key",
      { JWT_PRIVATE_KEY: key.json, JWT_PREVIOUS_PUBLIC_KEYS: `[${other.json}]` },
      "JWT_PREVIOUS_PUBLIC_KEYS",
    ],
  ];
  for (const [what, env, variable] of cases) {
    test(`stops the start naming ${variable}: ${what}`, () => {
      expect(() => keysOf(env)).toThrow(variable);
    });
  }

  test("stops the service's process at start with a message naming JWT_PRIVATE_KEY, without the key in it", async () => {
    const broken = JSON.stringify({ ...key.jwk, x: other.jwk.x });
    const child = startUsers({ JWT_PRIVATE_KEY: broken, PORT: String(freePort()) });
    const [code, stderr] = await Promise.all([child.exited, new Response(child.stderr).text()]);
    expect(code).not.toBe(0);
    const line = JSON.parse(stderr.trim().split("\n").at(-1)!);
    expect(line).toMatchObject({ level: "error", service: "users", msg: "cannot start" });
    expect(line.error).toContain("JWT_PRIVATE_KEY");
    expect(stderr).not.toContain(key.jwk.d!);
  });
});
