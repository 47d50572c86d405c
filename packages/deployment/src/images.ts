/**
 * The executables a healthcheck may call in each base image compose.yml uses, as the images ship them.
 * Bun images carry no curl or wget; distroless ones not even a shell. An image missing here fails the
 * check until someone states what it contains.
 */
const IMAGE_TOOLS: { image: RegExp; tools: string[] }[] = [
  { image: /^oven\/bun:.*distroless$/, tools: ["bun", "/usr/local/bin/bun"] },
  { image: /^oven\/bun:/, tools: ["bun", "/usr/local/bin/bun", "sh"] },
  { image: /^traefik:v?3(\.|$)/, tools: ["traefik", "sh", "wget"] },
  { image: /^postgres:\d+/, tools: ["pg_isready", "psql", "sh"] },
  { image: /^redis:\d+/, tools: ["redis-cli", "sh"] },
  { image: /^rabbitmq:\d+/, tools: ["rabbitmq-diagnostics", "rabbitmqctl", "sh"] },
  { image: /^axllent\/mailpit:/, tools: ["/mailpit", "sh"] },
];

/** The executables known to exist in `image`, or undefined for an image nobody described. */
export const toolsOf = (image: string): string[] | undefined => IMAGE_TOOLS.find((entry) => entry.image.test(image))?.tools;

/** The executable a Compose healthcheck runs, and whether it needs a shell to run it. */
export function healthcheckExecutable(test: string | string[]): { executable: string; needsShell: boolean } {
  if (typeof test === "string") return { executable: test.trim().split(/\s+/)[0]!, needsShell: true };
  const [kind, ...command] = test;
  if (kind === "CMD") return { executable: command[0]!, needsShell: false };
  if (kind === "CMD-SHELL") return { executable: command.join(" ").trim().split(/\s+/)[0]!, needsShell: true };
  throw new Error(`Healthcheck test must start with CMD or CMD-SHELL, not ${kind}`);
}
