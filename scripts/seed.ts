// `bun run seed [base-url]`: registers a few demo people through the users API (default: the native
// users service; pass http://localhost:8080/api to seed through the gateway). Safe to run twice.
export {};

const base = (process.argv[2] ?? process.env.USERS_URL ?? "http://127.0.0.1:3001").replace(/\/+$/, "");

const people = [
  {
    email: "ada@example.com",
    name: "Ada Lovelace",
    preference: "first",
    availabilities: { monday: [9, 10, 11], tuesday: [14], thursday: [9, 10] },
  },
  {
    email: "grace@example.com",
    name: "Grace Hopper",
    preference: "last",
    availabilities: { monday: [9, 10, 11, 12], tuesday: [14, 15], thursday: [10] },
  },
  {
    email: "alan@example.com",
    name: "Alan Turing",
    preference: "random",
    availabilities: { monday: [10, 11], tuesday: [14], friday: [16, 17] },
  },
  {
    email: "katherine@example.com",
    name: "Katherine Johnson",
    preference: "first",
    availabilities: { monday: [8, 9, 10, 11], thursday: [9, 10, 11] },
  },
];

for (const person of people) {
  const response = await fetch(`${base}/users`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(person),
  }).catch((error: unknown) => {
    console.error(`Cannot reach the users service at ${base}: ${String(error)}`);
    process.exit(1);
  });
  const outcome =
    response.status === 201
      ? "created"
      : response.status === 409
        ? "already there"
        : `failed (${response.status}: ${await response.text()})`;
  console.log(`${person.email}: ${outcome}`);
}
console.log(
  "Now ask for a meeting: GET /suggestions?users=ada@example.com,grace@example.com (port 3003 natively, /api/suggestions through the gateway)",
);
