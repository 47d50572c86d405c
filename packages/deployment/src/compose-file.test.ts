import { describe, expect, test } from "bun:test";
import { interpolate, interpolations, parseCompose } from "./compose-file.ts";

describe("interpolate", () => {
  test("replaces variables the way docker compose does", () => {
    const env = { SET: "yes", EMPTY: "" };
    expect(interpolate("${SET} $SET ${UNSET}", env)).toBe("yes yes ");
    expect(interpolate("[${EMPTY:-fallback}] [${EMPTY-unused}] [${UNSET-fallback}]", env)).toBe("[fallback] [] [fallback]");
    expect(interpolate("${SET:+alt} ${UNSET:+alt}|", env)).toBe("alt |");
    expect(interpolate("$$HOME costs $$5", env)).toBe("$HOME costs $5");
    expect(interpolate("${UNSET:-${SET:-no}}", env)).toBe("yes");
  });

  test("refuses a required variable that is unset", () => {
    expect(() => interpolate("${NEEDED:?set it}", {})).toThrow("NEEDED is required: set it");
  });
});

describe("interpolations", () => {
  test("lists the variables of the document, not of its comments, with whether each has a default", () => {
    const text = "# ${IN_COMMENT}\nservices:\n  a:\n    image: x:${TAG:-1}\n    environment: { A: '${PLAIN}', B: '${TAG}' }\n";
    expect(interpolations(text)).toEqual([
      { name: "TAG", hasDefault: false },
      { name: "PLAIN", hasDefault: false },
    ]);
  });
});

describe("parseCompose", () => {
  test("resolves merge keys and interpolates values", () => {
    const text = "x-base: &base\n  restart: always\nservices:\n  a:\n    <<: *base\n    image: x:${TAG:-1}\n";
    expect(parseCompose(text, {}).services.a).toMatchObject({ restart: "always", image: "x:1" });
  });
});
