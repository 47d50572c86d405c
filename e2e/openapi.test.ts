// Every service's OpenAPI document says what the service does: problem+json errors, JSON-only bodies that
// may be refused with 413, the 204 and text/calendar answers, and servers that work natively and behind
// the gateway. The apps are built in process; making the document touches none of their clients.
import { describe, expect, test } from "bun:test";
import { type Document, documentOf, serviceApps as apps } from "./in-process-apps.ts";

const operationsOf = (document: Document) =>
  Object.entries(document.paths).flatMap(([path, { servers: _, ...item }]) =>
    Object.entries(item).map(([method, operation]) => ({ route: `${method.toUpperCase()} ${path}`, operation })),
  );

for (const [name, app] of Object.entries(apps)) {
  describe(`${name}'s OpenAPI document`, () => {
    test("advertises every error answer as a problem (the health check's 503 is its report)", async () => {
      for (const { route, operation } of operationsOf(await documentOf(app))) {
        for (const [status, response] of Object.entries(operation.responses)) {
          if (Number(status) < 400 || (route === "GET /health" && status === "503")) continue;
          expect(response.content, `${route} ${status}`).toEqual({
            "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } },
          });
        }
      }
    });

    test("takes JSON bodies only, and declares the 413 problem wherever it takes one", async () => {
      const withBodies = operationsOf(await documentOf(app)).filter(({ operation }) => operation.requestBody);
      for (const { route, operation } of withBodies) {
        expect(Object.keys(operation.requestBody!.content), route).toEqual(["application/json"]);
        expect(Object.keys(operation.responses[413]?.content ?? {}), route).toEqual(["application/problem+json"]);
      }
      expect(withBodies.length).toBe({ users: 6, availability: 0, suggestions: 0, worker: 2 }[name]!);
    });

    test("names the service's root as its server, and the gateway's /api behind the gateway", async () => {
      expect((await documentOf(app)).servers.map((server) => server.url)).toEqual(["/"]);
      const viaGateway = await documentOf(app, { "x-forwarded-prefix": `/${name}` });
      expect(viaGateway.servers.map((server) => server.url)).toEqual(["/api"]);
      expect(viaGateway.paths["/health"]!.servers?.map((server) => server.url)).toEqual([`/${name}`]);
    });
  });
}

test("DELETE /users/{email} and DELETE /users/{email}/dates/{date} answer 204 with no body", async () => {
  const { paths } = await documentOf(apps.users);
  for (const path of ["/users/{email}", "/users/{email}/dates/{date}"]) {
    const answer = paths[path]!.delete!.responses[204];
    expect(answer, path).toBeDefined();
    expect(answer!.content, path).toBeUndefined();
  }
});

test("GET /tasks/{task_id}/invite.ics answers 200 text/calendar", async () => {
  const { paths } = await documentOf(apps.worker);
  expect(paths["/tasks/{task_id}/invite.ics"]!.get!.responses[200]!.content).toEqual({
    "text/calendar": { schema: expect.objectContaining({ type: "string" }) },
  });
});
