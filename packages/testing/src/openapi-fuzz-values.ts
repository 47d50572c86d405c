// biome-ignore-all lint/suspicious/noTemplateCurlyInString: template syntax is among the hostile text it sends
// Test support: the values the OpenAPI fuzzer puts in path parameters, queries and bodies, from the
// JSON schemas of a service's own document: some plausible (so requests get past the first check and
// reach the handlers), most malformed.
import fc from "fast-check";

/** The part of a JSON schema (as @elysiajs/openapi writes TypeBox schemas) the fuzzer reads. */
export type JsonSchema = {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  const?: unknown;
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  examples?: unknown[];
  default?: unknown;
};

// JSON.stringify takes about a second over an array nested 32,000 deep, so the deep value travels as a
// marker until `jsonText` swaps its text in.
const DEEP_TEXT = "[".repeat(32_000) + "]".repeat(32_000);
const DEEP = "\uf8ff nested 32,000 deep \uf8ff";

/** The JSON text of a fuzzed value. */
export const jsonText = (value: unknown) => (JSON.stringify(value) ?? "null").replaceAll(JSON.stringify(DEEP), DEEP_TEXT);

const HOSTILE_CHARACTERS = [
  "\u0000",
  "\u0007",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u009b",
  "\n",
  "\r",
  "\t",
  "\u202a",
  "\u202e",
  "\u2066",
  "\u2069",
  "\ud800",
  "\udfff",
  "\ufeff",
  "\u200b",
  "\u2028",
];

/** Text that has broken services: controls (NUL first), bidi overrides, unpaired surrogates, odd spaces, huge. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  // Ordinary text with one bad character in it, the commonest way such a character arrives; NUL most often.
  {
    arbitrary: fc
      .tuple(
        fc.string({ maxLength: 8 }),
        fc.oneof(fc.constant("\u0000"), fc.constantFrom(...HOSTILE_CHARACTERS)),
        fc.string({ maxLength: 8 }),
      )
      .map((parts) => parts.join("")),
    weight: 4,
  },
  fc.constantFrom(
    "\u0000",
    "a\u0000b",
    "\u0007",
    "\u001b[31mred",
    "\u007f",
    "\u0085",
    "\u009b",
    "line\nbreak",
    "\r\n",
    "\t",
    "\u202eevil",
    "\u2066x\u2069",
    "\u200b",
    "\ufeff",
    "   ",
    "\u00a0\u3000",
    "",
    "\ud800",
    "\udfff",
    "x\ud83d",
    "\ud83d\ude00",
    "é",
    "e\u0301",
    "'; drop table users; --",
    "%00",
    "${x}",
    "../..",
    "x".repeat(60_000),
    "é".repeat(20_000),
    "😀".repeat(5_000),
    "NaN",
    "1e999",
    "-0",
    "0x10",
    "Infinity",
    " 1",
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: "binary-ascii", maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit)), maxLength: 4 }),
);

/** A value a schema takes, or close to it. */
function plausible(schema: JsonSchema): fc.Arbitrary<unknown> {
  const examples = schema.examples?.length ? [fc.constantFrom(...schema.examples)] : [];
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum?.length) return fc.constantFrom(...schema.enum);
  if (schema.anyOf?.length) return fc.oneof(...schema.anyOf.map(plausible));
  switch (schema.type) {
    case "string":
      if (schema.format === "email")
        return fc.oneof(...examples, fc.emailAddress(), fc.constantFrom("ada@example.com", "grace@example.com"));
      if (schema.format === "uuid") return fc.uuid();
      if (schema.format === "date-time") return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
      return fc.oneof(...examples, fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 20, 20) }));
    case "integer":
    case "number": {
      const step = schema.multipleOf ?? (schema.type === "integer" ? 1 : undefined);
      const min = schema.minimum ?? -1000;
      const max = schema.maximum ?? 1000;
      if (!step) return fc.double({ min, max, noNaN: true });
      return fc.integer({ min: Math.ceil(min / step), max: Math.floor(max / step) }).map((n) => n * step);
    }
    case "boolean":
      return fc.boolean();
    case "array":
      return fc.array(plausible(schema.items ?? {}), { maxLength: Math.min(schema.maxItems ?? 4, 4) });
    case "object": {
      const properties = Object.entries(schema.properties ?? {}).map(([key, property]) => [key, plausible(property)] as const);
      return fc.record(Object.fromEntries(properties), { requiredKeys: schema.required ?? [] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A value of the wrong type, at a boundary, or built to be expensive: nested 32,000 deep, 10,000 items, 2,000 keys. */
function malformed(schema: JsonSchema): fc.Arbitrary<unknown> {
  const numeric = schema.type === "integer" || schema.type === "number";
  return fc.oneof(
    hostileText,
    fc.constantFrom<unknown>(
      null,
      true,
      0,
      -1,
      1.5,
      1e308,
      -1e308,
      -0,
      2 ** 53 + 2,
      [],
      {},
      [null],
      { "": 1 },
      { constructor: { prototype: 1 } },
    ),
    fc.constantFrom<unknown>(DEEP, Array(10_000).fill(1), Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`k${i}`, i]))),
    fc.constantFrom<unknown>(
      ...(numeric ? [(schema.minimum ?? 0) - 1, (schema.maximum ?? 0) + 1, (schema.minimum ?? 0) + 0.5] : ["", " "]),
    ),
    fc.jsonValue({ maxDepth: 3 }),
  );
}

/** Plausible one time in four, malformed otherwise. */
const fuzzValue = (schema: JsonSchema) =>
  fc.oneof({ arbitrary: plausible(schema), weight: 1 }, { arbitrary: malformed(schema), weight: 3 });

/** A malformed value for one field; for text, mostly text the schema takes with a bad character in it. */
const mutation = (schema: JsonSchema) =>
  schema.type === "string"
    ? fc.oneof({ arbitrary: hostileText, weight: 3 }, { arbitrary: malformed(schema), weight: 1 })
    : malformed(schema);

/**
 * A JSON body for a schema: mostly a plausible one with one field made malformed (so that what the schema
 * lets through reaches the handler), else with an unknown field, every field fuzzed, or something else entirely.
 */
export function fuzzBody(schema: JsonSchema): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  const keys = Object.keys(properties);
  const base = plausible(schema);
  if (!keys.length) return fc.oneof(base, malformed(schema));
  const oneField = fc
    .tuple(base, fc.constantFrom(...keys))
    .chain(([body, key]) => mutation(properties[key]!).map((value) => ({ ...(body as object), [key]: value })));
  const unknownField = fc
    .tuple(base, fc.oneof(fc.string(), hostileText), fc.jsonValue({ maxDepth: 2 }))
    .map(([body, key, value]) => ({ ...(body as object), [key]: value }));
  const everyField = fc.record(Object.fromEntries(keys.map((key) => [key, fuzzValue(properties[key]!)])), { requiredKeys: [] });
  return fc.oneof(
    { arbitrary: oneField, weight: 5 },
    { arbitrary: unknownField, weight: 1 },
    { arbitrary: everyField, weight: 2 },
    { arbitrary: base, weight: 1 },
    { arbitrary: malformed(schema), weight: 1 },
  );
}

/** Percent-encodings that are wrong or unusual: lone `%`, bad hex, NUL, an encoded surrogate, overlong UTF-8, dot segments. */
export const oddPercentEncoding = fc.constantFrom(
  "%",
  "%Z",
  "%ZZ",
  "%00",
  "%0a",
  "%ED%A0%80",
  "%C0%AF",
  "%FF%FE",
  "%E2%80%AE",
  "%2e%2e%2f",
  "%25",
  "+",
  "%20%20",
  "%EF%BB%BF",
  "a%2Cb",
);

/** Percent-encodes text for a URL; unpaired surrogates go as the bytes UTF-8 would have given them, which no decoder accepts. */
const percentEncode = (text: string) =>
  text.isWellFormed() ? encodeURIComponent(text) : encodeURIComponent(text.toWellFormed()).replaceAll("%EF%BF%BD", "%ED%A0%80");

/** Text for a path or query value: a fuzzed value as text, percent-encoded, or an odd encoding as is. */
export const urlText = (schema: JsonSchema) =>
  fc.oneof(
    {
      arbitrary: fuzzValue(schema).map((value) => percentEncode(typeof value === "string" && value !== DEEP ? value : jsonText(value))),
      weight: 4,
    },
    { arbitrary: oddPercentEncoding, weight: 1 },
  );
