// biome-ignore-all lint/suspicious/noControlCharactersInRegex: NUL marks the places a pattern's wildcards stood, a character no path holds
/** One instruction of a Dockerfile, continuation lines joined. */
type Instruction = { keyword: string; args: string; line: number };

/** A build stage: its base image (ARGs resolved), name and instructions. */
export type Stage = { image: string; name?: string; instructions: Instruction[] };

/** A COPY or ADD: sources relative to the build context, or to another stage with `from`. */
export type Copy = { sources: string[]; destination: string; from?: string; line: number };

const REFERENCE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/g;

/**
 * Splits a Dockerfile into stages, with `${NAME}` resolved as Docker does: in FROM from the ARGs before
 * the first FROM, and in a stage's instructions from the ARGs that stage declares (its own default, else
 * the global one), `buildArgs` (`--build-arg`, compose's `build.args`) winning over defaults.
 */
export function parseDockerfile(text: string, buildArgs: Record<string, string> = {}): Stage[] {
  const instructions: Instruction[] = [];
  let pending = "";
  let start = 0;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (!pending && (line === "" || line.startsWith("#"))) return;
    if (!pending) start = index + 1;
    if (line.startsWith("#")) return;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const full = pending + line;
    pending = "";
    const [keyword, ...rest] = full.split(/\s+/);
    instructions.push({ keyword: keyword!.toUpperCase(), args: rest.join(" "), line: start });
  });

  const global: Record<string, string> = {};
  let scope: Record<string, string> = {};
  const stages: Stage[] = [];
  const resolve = (text: string, values: Record<string, string>) => text.replace(REFERENCE, (whole, name: string) => values[name] ?? whole);
  for (const instruction of instructions) {
    if (instruction.keyword === "ARG") {
      const [name, value] = instruction.args.split("=") as [string, string | undefined];
      if (stages.length === 0) global[name] = buildArgs[name] ?? value ?? "";
      else scope[name] = buildArgs[name] ?? value ?? global[name] ?? "";
    } else if (instruction.keyword === "FROM") {
      const [image, as, name] = instruction.args.replace(/--platform=\S+\s+/, "").split(/\s+/);
      stages.push({
        image: resolve(image!, global).replace(REFERENCE, ""),
        name: as?.toUpperCase() === "AS" ? name : undefined,
        instructions: [],
      });
      scope = {};
    } else {
      stages.at(-1)?.instructions.push({ ...instruction, args: resolve(instruction.args, scope) });
    }
  }
  return stages;
}

/** The COPY and ADD instructions of a stage. */
export function copiesOf(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === "COPY" || i.keyword === "ADD")
    .map((instruction) => {
      const words = instruction.args.startsWith("[") ? (JSON.parse(instruction.args) as string[]) : instruction.args.split(/\s+/);
      const flags = words.filter((w) => w.startsWith("--"));
      const paths = words.filter((w) => !w.startsWith("--"));
      const from = flags.find((f) => f.startsWith("--from="))?.slice("--from=".length);
      return { sources: paths.slice(0, -1), destination: paths.at(-1)!, from, line: instruction.line };
    });
}

/** The exec-form command of an ENTRYPOINT or CMD instruction (last one wins), if any. */
export function execForm(stage: Stage, keyword: "ENTRYPOINT" | "CMD"): string[] | undefined {
  const instruction = stage.instructions.filter((i) => i.keyword === keyword).at(-1);
  if (!instruction) return undefined;
  if (!instruction.args.startsWith("[")) throw new Error(`line ${instruction.line}: ${keyword} should use the exec form`);
  return JSON.parse(instruction.args) as string[];
}

/** The last value an instruction takes in a stage (USER, WORKDIR, EXPOSE). */
export const lastOf = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword).at(-1)?.args;

/**
 * A `.dockerignore` matcher: patterns are relative to the context, `**` spans directories, a
 * pattern also excludes everything under a matching directory, and a later `!pattern` re-includes.
 */
export function dockerignore(text: string): (path: string) => boolean {
  const rules = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const include = line.startsWith("!");
      const pattern = (include ? line.slice(1) : line).replace(/^\/+/, "").replace(/\/+$/, "");
      const source = pattern
        .split("/")
        .map((part) =>
          part === "**"
            ? "\u0000"
            : part
                .replace(/[.+^${}()|[\]\\]/g, "\\$&")
                .replace(/\*/g, "[^/]*")
                .replace(/\?/g, "[^/]"),
        )
        .join("/")
        .replace(/\u0000\//g, "(?:.*/)?")
        .replace(/\u0000/g, ".*");
      return { include, regex: new RegExp(`^${source}(?:/.*)?$`) };
    });
  return (path: string) => {
    const clean = path.replace(/^\.\//, "").replace(/\/+$/, "");
    let excluded = false;
    for (const rule of rules) if (rule.regex.test(clean)) excluded = !rule.include;
    return excluded;
  };
}
