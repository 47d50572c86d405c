// The keys that sign tokens: one Ed25519 private key (JWT_PRIVATE_KEY, or natively a development key
// made once in JWT_KEY_FILE), and the public keys of earlier ones still accepted (JWT_PREVIOUS_PUBLIC_KEYS).
// Read once at start, synchronously: a malformed key stops the service, naming the setting.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, hkdfSync, type KeyObject } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { ConfigError, TOKEN_ALGORITHM, type Logger } from "@w2meet/kit";

/** A public key as the JWKS publishes it: its public members only. */
type PublicJwk = { kty: "OKP"; crv: "Ed25519"; x: string; kid: string; alg: typeof TOKEN_ALGORITHM; use: "sig" };

export type SigningKeys = {
  /** The key id tokens name in their header. */
  kid: string;
  privateKey: KeyObject;
  /** The current public key first, then the previous ones. */
  jwks: { keys: PublicJwk[] };
  /** Keys the hashes of email verification codes (derived from the private key, for nothing else). */
  codeSecret: Buffer;
};

type KeySettings = { JWT_PRIVATE_KEY: string; JWT_PREVIOUS_PUBLIC_KEYS: string; JWT_KEY_FILE: string };

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

const publicJwk = (x: string, kid: string): PublicJwk => ({ kty: "OKP", crv: "Ed25519", x, kid, alg: TOKEN_ALGORITHM, use: "sig" });

/** RFC 7638 thumbprint of an Ed25519 public key: a key id that names the key itself. */
const thumbprint = (x: string) =>
  createHash("sha256")
    .update(JSON.stringify({ crv: "Ed25519", kty: "OKP", x }))
    .digest("base64url");

/** An Ed25519 private JWK with its kid, checked whole: the curve, both halves, and that x belongs to d. */
function privateKeyOf(text: string, variable: string, shown: string) {
  const refuse = (reason: string) => new ConfigError(variable, reason, shown);
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    throw refuse('not JSON: expected an Ed25519 private key as a JWK, {"kty":"OKP","crv":"Ed25519","x":…,"d":…,"kid":…}');
  }
  if (!isObject(jwk) || jwk.kty !== "OKP" || jwk.crv !== "Ed25519") throw refuse('not an Ed25519 JWK ({"kty":"OKP","crv":"Ed25519",…})');
  const { x, d, kid } = jwk;
  if (typeof d !== "string" || typeof x !== "string") throw refuse("a private JWK needs both d and x");
  if (typeof kid !== "string" || !kid.trim()) throw refuse("the key needs a kid, which tokens name in their header");
  if (jwk.alg !== undefined && jwk.alg !== TOKEN_ALGORITHM) throw refuse(`its alg must be ${TOKEN_ALGORITHM}`);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", x, d }, format: "jwk" });
  } catch {
    throw refuse("its d and x are not an Ed25519 key");
  }
  if (createPublicKey(privateKey).export({ format: "jwk" }).x !== x) throw refuse("its x is not the public half of its d");
  return { privateKey, kid, x, d };
}

/** JWT_PREVIOUS_PUBLIC_KEYS: a JSON array of public Ed25519 JWKs, each with a kid. */
function previousKeysOf(text: string): PublicJwk[] {
  const variable = "JWT_PREVIOUS_PUBLIC_KEYS";
  const refuse = (reason: string) => new ConfigError(variable, reason, text.slice(0, 200));
  let keys: unknown;
  try {
    keys = JSON.parse(text.trim() || "[]");
  } catch {
    throw refuse("not JSON: expected an array of public Ed25519 JWKs");
  }
  if (!Array.isArray(keys)) throw refuse("expected an array of public Ed25519 JWKs");
  return keys.map((jwk, index) => {
    const at = `entry ${index + 1}`;
    if (!isObject(jwk) || jwk.kty !== "OKP" || jwk.crv !== "Ed25519") throw refuse(`${at} is not an Ed25519 JWK`);
    if ("d" in jwk) throw refuse(`${at} holds a private key (d): publish public keys only`);
    if (typeof jwk.x !== "string" || typeof jwk.kid !== "string" || !jwk.kid.trim()) throw refuse(`${at} needs x and a kid`);
    try {
      createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x: jwk.x }, format: "jwk" });
    } catch {
      throw refuse(`${at} is not an Ed25519 public key`);
    }
    return publicJwk(jwk.x, jwk.kid);
  });
}

/** Makes the development key unless the file exists; of replicas starting together from one folder, the first wins. */
function ensureDevelopmentKey(file: string, logger: Logger): void {
  try {
    readFileSync(file);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const { privateKey } = generateKeyPairSync("ed25519");
  const { x, d } = privateKey.export({ format: "jwk" });
  const jwk = { kty: "OKP", crv: "Ed25519", x, d, kid: thumbprint(x!), alg: TOKEN_ALGORITHM, use: "sig" };
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  // Written whole under a name of its own, then linked into place: a link never replaces a file, so a
  // replica that lost the race reads the winner's key, never a half-written one.
  const temporary = `${file}.${process.pid}.${crypto.randomUUID()}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(jwk)}\n`, { mode: 0o600, flag: "wx" });
  try {
    linkSync(temporary, file);
    logger.warn("made a development signing key", { file });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function developmentKey(path: string, logger: Logger) {
  const file = resolve(path);
  let text: string;
  try {
    ensureDevelopmentKey(file, logger);
    text = readFileSync(file, "utf8");
  } catch (error) {
    throw new ConfigError(
      "JWT_KEY_FILE",
      `cannot keep the development key there (${(error as Error).message}); set JWT_PRIVATE_KEY, or JWT_KEY_FILE to a writable place`,
      path,
    );
  }
  const key = privateKeyOf(text, "JWT_KEY_FILE", path);
  logger.warn(
    "tokens are signed with a DEVELOPMENT key kept in a local file; set JWT_PRIVATE_KEY (and the same key on every replica) in production",
    {
      file,
      kid: key.kid,
    },
  );
  return key;
}

/** The signing keys the settings name; throws a ConfigError naming the setting that is malformed. */
export function loadSigningKeys(settings: KeySettings, logger: Logger): SigningKeys {
  const key = settings.JWT_PRIVATE_KEY.trim()
    ? privateKeyOf(settings.JWT_PRIVATE_KEY, "JWT_PRIVATE_KEY", "(a private key, not shown)")
    : developmentKey(settings.JWT_KEY_FILE, logger);
  const previous = previousKeysOf(settings.JWT_PREVIOUS_PUBLIC_KEYS);
  if (previous.some((jwk) => jwk.kid === key.kid)) {
    throw new ConfigError("JWT_PREVIOUS_PUBLIC_KEYS", `names the current key's kid ${key.kid} again`, key.kid);
  }
  return {
    kid: key.kid,
    privateKey: key.privateKey,
    jwks: { keys: [publicJwk(key.x, key.kid), ...previous] },
    codeSecret: Buffer.from(hkdfSync("sha256", Buffer.from(key.d, "base64url"), "", "w2meet email verification codes", 32)),
  };
}
