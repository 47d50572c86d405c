// `bun run start`: every service as a native Bun process on its contract port; Ctrl-C stops them all.
import { readdirSync, existsSync } from "node:fs";
import { SERVICE_RUNTIME_ENV } from "./runtime-env.ts";

const root = new URL("..", import.meta.url).pathname;
const services = readdirSync(`${root}apps`).filter((name) => existsSync(`${root}apps/${name}/src/index.ts`));

const children = services.map((name) => ({
  name,
  process: Bun.spawn(["bun", `apps/${name}/src/index.ts`], {
    cwd: root,
    env: { ...SERVICE_RUNTIME_ENV, ...process.env },
    stdio: ["ignore", "inherit", "inherit"],
  }),
}));
console.log(`started ${services.join(", ")}; Ctrl-C stops them all`);

let stopping = false;
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.process.kill("SIGTERM");
  await Promise.all(children.map((child) => child.process.exited));
  process.exit(code);
}
process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

// One service stopping on its own (a bad setting, a port in use) stops the rest: a half-started system misleads.
for (const child of children) {
  void child.process.exited.then((code) => {
    if (stopping) return;
    console.error(`${child.name} exited with code ${code}; stopping the others`);
    void stopAll(code || 1);
  });
}
