// `bun run test`: makes sure Postgres, Redis and RabbitMQ are reachable (starting them with Docker
// Compose when they are not and Docker is there), and the pinned Helm is installed for the chart checks
// (building it with Go when it is not), type-checks, then runs every test.
import { $ } from "bun";
import { goAvailable, HELM_MISSING, pinnedHelm } from "./helm.ts";
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
// It can also answer and yet hang on every quorum queue (its disk below the free-space limit, say).
const BROKER_CHECK = `${import.meta.dir}/../packages/testing/src/broker-check.ts`;
const brokerCheck = await $`bun ${BROKER_CHECK}`.env({ ...process.env, AMQP_URL: amqpUrl }).nothrow();
if (brokerCheck.exitCode !== 0) process.exit(1);

// The services the tests start create their roles and databases through the test run's own Postgres.
const databaseUrl = env.DATABASE_URL ?? process.env.DATABASE_URL;
if (databaseUrl && process.env.DATABASE_ADMIN_URL === undefined) env.DATABASE_ADMIN_URL = databaseUrl;

// `bun test` runs the files whose paths contain one of its path arguments, or all of them when there is none.
const CHART_CHECKS = "e2e/helm";
const paths = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
const runsChartChecks =
  paths.length === 0 || paths.some((path) => CHART_CHECKS.includes(path.replace(/^\.\//, "")) || path.includes(CHART_CHECKS));
// Without Helm the chart checks fail and say why (never skipped): the runner says it first, and goes on.
if (runsChartChecks && pinnedHelm() === undefined) {
  if (!goAvailable()) console.error(HELM_MISSING);
  else if ((await $`bash scripts/install-helm.sh`.nothrow()).exitCode !== 0) console.error(`Building Helm failed. ${HELM_MISSING}`);
}

const typecheck = await $`bun run typecheck`.nothrow();
if (typecheck.exitCode !== 0) process.exit(typecheck.exitCode);

// Flows that start real processes need more than bun's default 5 s a test.
const tests = Bun.spawn(["bun", "test", "--timeout", "30000", ...process.argv.slice(2)], {
  env: { ...process.env, ...env },
  stdio: ["inherit", "inherit", "inherit"],
});
process.exit(await tests.exited);
