import { describe, expect, test } from "bun:test";
import { copiesOf, dockerignore, execForm, lastOf, parseDockerfile } from "./dockerfile.ts";

describe("parseDockerfile", () => {
  const stages = parseDockerfile(`# syntax=docker/dockerfile:1
ARG BUN_VERSION=1.4.5
FROM oven/bun:\${BUN_VERSION}-slim AS deps
COPY package.json bun.lock ./
RUN bun install \\
 # a comment inside a continuation
 --frozen-lockfile
FROM oven/bun:\${BUN_VERSION}-distroless
COPY --from=deps /app/node_modules node_modules
USER 65532:65532
ENTRYPOINT ["bun", "src/index.ts"]
`);

  test("splits stages, resolving ARG defaults in their images", () => {
    expect(stages.map((stage) => [stage.image, stage.name])).toEqual([
      ["oven/bun:1.4.5-slim", "deps"],
      ["oven/bun:1.4.5-distroless", undefined],
    ]);
  });

  test("joins continuation lines and reads COPY sources, stages and exec forms", () => {
    expect(stages[0]!.instructions.find((i) => i.keyword === "RUN")?.args).toBe("bun install --frozen-lockfile");
    expect(copiesOf(stages[0]!)).toEqual([{ sources: ["package.json", "bun.lock"], destination: "./", from: undefined, line: 4 }]);
    expect(copiesOf(stages[1]!)[0]).toMatchObject({ from: "deps", sources: ["/app/node_modules"] });
    expect(lastOf(stages[1]!, "USER")).toBe("65532:65532");
    expect(execForm(stages[1]!, "ENTRYPOINT")).toEqual(["bun", "src/index.ts"]);
  });
});

test("dockerignore excludes as Docker does, directories included, with ! re-including", () => {
  const ignored = dockerignore("**/node_modules\n*.md\n.env.*\n!.env.example\n**/*.test.ts\n");
  expect(ignored("apps/users/node_modules/x")).toBe(true);
  expect(ignored("node_modules")).toBe(true);
  expect(ignored("README.md")).toBe(true);
  expect(ignored("docs/README.md")).toBe(false);
  expect(ignored(".env.local")).toBe(true);
  expect(ignored(".env.example")).toBe(false);
  expect(ignored("apps/users/src/users/routes.test.ts")).toBe(true);
  expect(ignored("apps/users/src")).toBe(false);
});
