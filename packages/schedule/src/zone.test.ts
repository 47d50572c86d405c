import { describe, expect, test } from "bun:test";
import { canonicalZone, isTimeZone } from "./index.ts";

describe("isTimeZone", () => {
  test("knows IANA names in any letter case", () => {
    for (const name of ["UTC", "Europe/Berlin", "europe/berlin", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham"]) {
      expect(isTimeZone(name)).toBe(true);
    }
  });

  test("rejects offsets, unknown names and junk", () => {
    for (const name of ["+01:00", "-05:00", "GMT+1:00", "Mars/Base", "Europe/Atlantis", "", "Europe/", "/Berlin", "Europe//Berlin"]) {
      expect(isTimeZone(name)).toBe(false);
    }
  });
});

describe("canonicalZone", () => {
  test("gives the database's own spelling", () => {
    expect(canonicalZone("europe/berlin")).toBe("Europe/Berlin");
    expect(canonicalZone("AMERICA/NEW_YORK")).toBe("America/New_York");
    expect(canonicalZone("Asia/Kolkata")).toBe("Asia/Kolkata");
    expect(canonicalZone("utc")).toBe("UTC");
  });

  test("throws on what is not a zone", () => {
    expect(() => canonicalZone("Mars/Base")).toThrow(RangeError);
    expect(() => canonicalZone("+01:00")).toThrow(RangeError);
  });
});
