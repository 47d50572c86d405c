// Passwords are kept as Argon2id hashes (Bun.password), never in clear.

// One of OWASP's equivalent Argon2id settings (Password Storage Cheat Sheet): 9 MiB of memory, 4 passes,
// one lane. Bun's default takes 64 MiB a hash, which a few logins at once turn into hundreds of MB of RSS
// in a service budgeted at 100 MB; OWASP's 19 MiB / 2 passes still left users at its edge after a login.
// A hash records its own cost, so hashes made with another one still verify.
const ARGON2ID = { algorithm: "argon2id", memoryCost: 9216, timeCost: 4 } as const;

export const hashPassword = (password: string): Promise<string> => Bun.password.hash(password, ARGON2ID);

// A hash of a password no one knows, made once with the same cost as real ones: a login for an unknown
// email or an open profile verifies against it, so it takes as long as a wrong password does.
let dummy: Promise<string> | undefined;
const dummyHash = () => {
  dummy ??= hashPassword(crypto.randomUUID());
  return dummy;
};

/** Starts making the dummy hash, so the first login for an unknown email is not the fast one. */
export const prepareDummyHash = () => void dummyHash();

/** Whether `password` matches `hash`; without a hash it still spends the time of a check, and is false. */
export async function passwordMatches(password: string, hash: string | null): Promise<boolean> {
  if (hash === null) {
    await Bun.password.verify(password, await dummyHash());
    return false;
  }
  return Bun.password.verify(password, hash);
}
