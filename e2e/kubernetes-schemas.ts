// Rendered Kubernetes objects checked against the API schemas, as the API server would check them: the
// Kubernetes OpenAPI schemas (kubernetes-models) and the Traefik and KEDA CRDs' schemas (@kubernetes-models
// /traefik, /keda). Each model class validates types, required fields and enums; what those schemas leave
// open (they never forbid a field they do not know) is checked here too, as `kubectl --validate=strict`
// and the API server's strict field validation do: a misspelt field is an error, not silently dropped.
import * as keda from "@kubernetes-models/keda";
import * as traefik from "@kubernetes-models/traefik";
import * as kubernetes from "kubernetes-models";

/** A model class: its apiVersion and kind, and a validate that checks `this` against its schema. */
type ModelClass = { apiVersion: string; kind: string; prototype: { validate(this: unknown): void } };

/** The model packages, each with the npm package it comes from (their versions are what the checks ran with). */
export const SCHEMA_PACKAGES = [
  { name: "kubernetes-models", module: kubernetes },
  { name: "@kubernetes-models/traefik", module: traefik },
  { name: "@kubernetes-models/keda", module: keda },
] as const;

const isModelClass = (value: unknown): value is ModelClass =>
  typeof value === "function" &&
  typeof (value as { apiVersion?: unknown }).apiVersion === "string" &&
  typeof (value as { kind?: unknown }).kind === "string";

/** Every model class a package exports, found through its nested namespaces, by `apiVersion/kind`. */
function modelsOf(module: object, into = new Map<string, { model: ModelClass; from: string }>(), from = "", seen = new Set<object>()) {
  if (seen.has(module)) return into;
  seen.add(module);
  for (const value of Object.values(module)) {
    if (isModelClass(value)) into.set(`${value.apiVersion}/${value.kind}`, { model: value, from });
    else if (value && typeof value === "object") modelsOf(value, into, from, seen);
  }
  return into;
}

/** The schema of every `apiVersion/kind` the three packages know, with the package that carries it. */
export const MODELS = new Map(SCHEMA_PACKAGES.flatMap(({ name, module }) => [...modelsOf(module, undefined, name)]));

/**
 * Runs `validate` on a copy of `object` that notes every field the schema's validator reads; fields it
 * never reads, in objects it never enumerates (maps such as labels or a Secret's data are), are fields the
 * schema does not have.
 */
function unknownFieldsAfter(validate: (tracked: unknown) => void, object: object): string[] {
  const reads = new Map<object, { path: string; keys: Set<PropertyKey> }>();
  const enumerated = new Set<object>();
  const track = (value: unknown, path: string): unknown => {
    if (!value || typeof value !== "object") return value;
    if (!reads.has(value)) reads.set(value, { path, keys: new Set() });
    return new Proxy(value, {
      get(target, key, receiver) {
        reads.get(target)!.keys.add(key);
        const child = Reflect.get(target, key, receiver);
        return typeof key === "string" ? track(child, `${path}/${key}`) : child;
      },
      has(target, key) {
        reads.get(target)!.keys.add(key);
        return Reflect.has(target, key);
      },
      ownKeys(target) {
        enumerated.add(target);
        return Reflect.ownKeys(target);
      },
    });
  };
  validate(track(object, ""));
  const unknown: string[] = [];
  for (const [target, { path, keys }] of reads) {
    if (Array.isArray(target) || enumerated.has(target)) continue;
    for (const key of Object.keys(target)) if (!keys.has(key)) unknown.push(`${path}/${key}`);
  }
  return unknown;
}

/** A rendered object as far as its schema is looked up. */
type Typed = { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown } };

/**
 * What is wrong with an object by its API schema: nothing ([]), the schema's own errors, fields the schema
 * does not have, or that no schema is known for its apiVersion and kind (never a silent pass).
 */
export function schemaErrors(object: Typed): string[] {
  const key = `${object.apiVersion}/${object.kind}`;
  const known = MODELS.get(key);
  if (!known) return [`${key}: no schema for this apiVersion and kind in ${SCHEMA_PACKAGES.map((p) => p.name).join(", ")}`];
  try {
    return unknownFieldsAfter((tracked) => known.model.prototype.validate.call(tracked), object).map(
      (path) => `${key} ${object.metadata?.name}: ${path} is not a field of ${key}`,
    );
  } catch (error) {
    return [`${key} ${object.metadata?.name}: ${(error as Error).message}`];
  }
}
