// Passwords are kept as Argon2id hashes (Bun.password, its default cost), never in clear.

const ARGON2ID = { algorithm: "argon2id" } as const;

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
