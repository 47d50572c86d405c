import { DISPLAY_TEXT_PATTERN, DISPLAY_TEXT_RULE, type FieldError } from "@w2meet/contracts";

type SchemaLike = {
  anyOf?: SchemaLike[];
  type?: string;
  const?: unknown;
  minimum?: number;
  maximum?: number;
  multipleOf?: number;
  pattern?: string;
};
type ValueErrorLike = { path: string; message: string; schema?: SchemaLike };

/** `/availabilities/monday/2` → `availabilities.monday[2]`. */
export function fieldPath(pointer: string): string {
  const parts = pointer.split("/").slice(1);
  let path = "";
  for (const part of parts) path += /^\d+$/.test(part) ? `[${part}]` : path ? `.${part}` : part;
  return path || "(root)";
}

function rangeOf(schema: SchemaLike): string {
  const { minimum, maximum } = schema;
  if (minimum !== undefined && maximum !== undefined) return ` from ${minimum} to ${maximum}`;
  if (minimum !== undefined) return ` of at least ${minimum}`;
  if (maximum !== undefined) return ` of at most ${maximum}`;
  return "";
}

// TypeBox's own messages name the rule that failed ("Expected union value"); say what the field takes.
function describe(error: ValueErrorLike): string {
  const schema = error.schema ?? {};
  const choices = schema.anyOf?.map((branch) => branch.const);
  if (choices?.length && choices.every((choice) => typeof choice === "string")) return `Expected one of: ${choices.join(", ")}`;
  if (schema.type === "integer" || (schema.type === "number" && schema.multipleOf === 1)) return `Expected an integer${rangeOf(schema)}`;
  if (schema.type === "number") return `Expected a number${rangeOf(schema)}`;
  if (schema.pattern === DISPLAY_TEXT_PATTERN && error.message.startsWith("Expected string to match")) return DISPLAY_TEXT_RULE;
  return error.message;
}

// Elysia checks a converted query number on its own, so its error has an empty path; name the
// query parameters whose text gives that value instead.
function queryKeysOf(error: ValueErrorLike & { value?: unknown }, query: URLSearchParams | undefined, value: unknown): string[] {
  if (!query || error.path !== "" || typeof value === "object") return [];
  return [...query.entries()].filter(([, text]) => text === String(value) || Number(text) === value).map(([key]) => key);
}

/** Turns schema errors into one field error per offending path, in the order found. */
export function fieldErrors(
  errors: readonly (ValueErrorLike & { value?: unknown })[],
  query?: URLSearchParams,
  checkedValue?: unknown,
): FieldError[] {
  const seen = new Map<string, FieldError>();
  for (const error of errors) {
    const keys = queryKeysOf(error, query, error.value ?? checkedValue);
    if (keys.length) {
      for (const key of keys) if (!seen.has(key)) seen.set(key, { path: key, message: describe(error) });
      continue;
    }
    const path = fieldPath(error.path);
    if (!seen.has(path)) seen.set(path, { path, message: describe(error) });
  }
  return [...seen.values()];
}
