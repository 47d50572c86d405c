// `bun run test`: makes sure Postgres, Redis and RabbitMQ are reachable (starting them with Docker
// Compose when they are not and Docker is there), type-checks, then runs every test.
import { $ } from "bun";
import { amqpAnswers, SERVERS, reachable } from "./servers.ts";

const env: Record<string, string> = {};

async function dockerAvailable(): Promise<boolean> {
  return (await $`docker info`.quiet().nothrow()).exitCode === 0;
}

for (const server of SERVERS) {
  if (await reachable(server.url)) continue;
  if (!(await dockerAvailable())) {
    console.error(
      `${server.name} is not reachable at ${server.url} (${server.variable}), and Docker is not available to start it.\n` +
        `To run the tests, ${server.howToStart}.`,
    );
    process.exit(1);
  }
  console.log(`${server.name} is not reachable at ${server.url}; starting it with docker compose…`);
  const started = await $`docker compose up -d --wait ${server.composeService}`.nothrow();
  if (started.exitCode !== 0 || !(await reachable(server.composeUrl))) {
    console.error(`Could not start ${server.name} with docker compose; ${server.howToStart}.`);
    process.exit(1);
  }
  env[server.variable] = server.composeUrl;
}

// A broker can take connections and never answer them (out of file descriptors, say): say so now rather
// than let every worker test time out.
const amqpUrl = env.AMQP_URL ?? SERVERS.find((server) => server.variable === "AMQP_URL")!.url;
if (!(await amqpAnswers(amqpUrl))) {
  console.error(
    `RabbitMQ at ${amqpUrl} accepts connections but does not answer AMQP. Check \`rabbitmq-diagnostics status\` ` +
      "(file descriptors, alarms); `bun packages/testing/src/sweep-broker.ts` removes queues that test runs left behind.",
  );
  process.exit(1);
}

// The services the tests start create their roles and databases through the test run's own Postgres.
const databaseUrl = env.DATABASE_URL ?? process.env.DATABASE_URL;
if (databaseUrl && process.env.DATABASE_ADMIN_URL === undefined) env.DATABASE_ADMIN_URL = databaseUrl;

const typecheck = await $`bun run typecheck`.nothrow();
if (typecheck.exitCode !== 0) process.exit(typecheck.exitCode);

// Flows that start real processes need more than bun's default 5 s a test.
const tests = Bun.spawn(["bun", "test", "--timeout", "30000", ...process.argv.slice(2)], {
  env: { ...process.env, ...env },
  stdio: ["inherit", "inherit", "inherit"],
});
process.exit(await tests.exited);
