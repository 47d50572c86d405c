// `bun bench/token-verify.ts`: the cost of verifying one bearer token in a service, in one process: a
// token seen for the first time (an Ed25519 signature checked by jose) and one seen before (the kit keeps
// verified tokens until they expire). Flags: --tokens=5000 --rounds=5.
import { parseArgs } from "node:util";
import { createTokenVerifier } from "@w2meet/kit";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

const { values: flags } = parseArgs({ options: { tokens: { type: "string", default: "5000" }, rounds: { type: "string", default: "5" } } });
const count = Number(flags.tokens);
const rounds = Number(flags.rounds);
const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519" });
const keys = { keys: [{ ...(await exportJWK(publicKey)), kid: "bench", alg: "EdDSA", use: "sig" }] };
const sign = (i: number) =>
  new SignJWT({})
    .setProtectedHeader({ alg: "EdDSA", kid: "bench" })
    .setSubject(`person-${i}@w2meet.test`)
    .setIssuer("w2meet-users")
    .setAudience("w2meet")
    .setIssuedAt()
    .setExpirationTime("15m")
    .sign(privateKey);

const perToken = (ms: number) => `${((ms * 1000) / count).toFixed(1)} µs`;
for (let round = 1; round <= rounds; round++) {
  const tokens = await Promise.all(Array.from({ length: count }, (_, i) => sign(i)));
  const verify = createTokenVerifier({ keys, issuer: "w2meet-users", audience: "w2meet" });
  let started = performance.now();
  for (const token of tokens) await verify(token);
  const first = performance.now() - started;
  started = performance.now();
  for (const token of tokens) await verify(token);
  const again = performance.now() - started;
  console.log(`round ${round}: ${count} tokens, first time ${perToken(first)} each, seen before ${perToken(again)} each`);
}
