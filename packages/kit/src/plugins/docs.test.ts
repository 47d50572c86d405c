import { describe, expect, test } from "bun:test";
import { Type } from "@sinclair/typebox";
import { Problem } from "@w2meet/contracts";
import { DOCS_CSP } from "./docs-page.ts";
import { createLogger } from "../logger.ts";
import { BODY_LIMIT_BYTES } from "../body.ts";
import { createService } from "../service.ts";
import { INTERNAL_TAG } from "./docs.ts";

const Thing = Type.Object({ name: Type.String() }, { additionalProperties: false });
const testService = () =>
  createService({ name: "test", description: "t", logger: createLogger({ service: "test", level: "error" }) })
    .post("/things", ({ body }) => body, { body: Thing, response: { 201: Thing, 400: Problem, 409: Problem } })
    .delete("/things/:id", () => new Response(null, { status: 204 }), {
      response: { 204: Type.Null({ description: "Deleted" }), 404: Problem },
    })
    .get("/things/:id/card.vcf", () => "BEGIN:VCARD", {
      response: { 200: Type.String({ contentMediaType: "text/vcard" }), 404: Problem, 503: Type.Object({ status: Type.String() }) },
    })
    .post("/things/audits", () => ({ name: "audit" }), { response: { 200: Thing }, detail: { tags: ["things", INTERNAL_TAG] } });
const app = testService();

const get = (path: string, headers: Record<string, string> = {}) => app.handle(new Request(`http://localhost${path}`, { headers }));
// Read loosely, as a client of the document would.
const documentOf = async (headers?: Record<string, string>): Promise<any> => (await get("/docs/json", headers)).json();

describe("the OpenAPI document at /docs/json", () => {
  test("advertises error answers of the Problem schema as application/problem+json", async () => {
    const { paths, components } = await documentOf();
    const problem = { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } };
    expect(paths["/things"].post.responses[400].content).toEqual(problem);
    expect(paths["/things"].post.responses[409].content).toEqual(problem);
    expect(paths["/things/{id}"].delete.responses[404].content).toEqual(problem);
    expect(components.schemas.Problem.properties).toEqual(JSON.parse(JSON.stringify(Problem.properties)));
    // An error answer of another schema is left as the route declared it.
    expect(Object.keys(paths["/things/{id}/card.vcf"].get.responses[503].content)).toEqual(["application/json"]);
  });

  test("still recognises the Problem schema once the routes have answered requests", async () => {
    const served = testService();
    await served.handle(
      new Request("http://localhost/things", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
    );
    await served.handle(new Request("http://localhost/things/1", { method: "DELETE" }));
    const { paths }: any = await (await served.handle(new Request("http://localhost/docs/json"))).json();
    expect(Object.keys(paths["/things"].post.responses[400].content)).toEqual(["application/problem+json"]);
    expect(Object.keys(paths["/things/{id}"].delete.responses[404].content)).toEqual(["application/problem+json"]);
  });

  test("offers only JSON request bodies, and a 413 problem wherever a body is taken", async () => {
    const { paths } = await documentOf();
    const create = paths["/things"].post;
    expect(Object.keys(create.requestBody.content)).toEqual(["application/json"]);
    expect(create.responses[413].description).toContain(String(BODY_LIMIT_BYTES));
    expect(Object.keys(create.responses[413].content)).toEqual(["application/problem+json"]);
    expect(paths["/things/{id}"].delete.responses[413]).toBeUndefined();
  });

  test("gives a 204 no body, and a string of a named media type that type", async () => {
    const { paths } = await documentOf();
    expect(paths["/things/{id}"].delete.responses[204]).toEqual({ description: "Deleted" });
    expect(paths["/things/{id}/card.vcf"].get.responses[200].content).toEqual({ "text/vcard": { schema: { type: "string" } } });
  });

  test("sends Try it out to the service itself, or to the gateway's /api when the page came through it", async () => {
    expect((await documentOf()).servers).toEqual([{ url: "/", description: "The service itself" }]);
    const viaGateway = await documentOf({ "x-forwarded-prefix": "/test" });
    expect(viaGateway.servers).toEqual([{ url: "/api", description: "Through the gateway" }]);
    // The gateway publishes the health routes beside the docs, under the prefix it stripped from them.
    expect(viaGateway.paths["/health"].servers).toEqual([{ url: "/test", description: expect.any(String) }]);
    expect(viaGateway.paths["/things"].servers).toBeUndefined();
    expect((await documentOf({ "x-forwarded-prefix": "/<script>" })).servers).toEqual([{ url: "/", description: "The service itself" }]);
    expect(Object.keys(viaGateway.paths)).not.toContain("/docs/json");
    expect(Object.keys(viaGateway.paths)).not.toContain("/metrics");
  });

  test("lists internal routes to the services that call them directly, and leaves them out behind the gateway", async () => {
    expect(Object.keys((await documentOf()).paths)).toContain("/things/audits");
    expect(Object.keys((await documentOf({ "x-forwarded-prefix": "/test" })).paths)).not.toContain("/things/audits");
  });
});

describe("Swagger UI at /docs", () => {
  const assetsOf = (html: string) => [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);

  test("loads only the service's own files, by URLs relative to the page, under a strict CSP", async () => {
    const page = await get("/docs");
    expect(page.headers.get("content-security-policy")).toBe(DOCS_CSP);
    expect(DOCS_CSP).toContain("script-src 'self';");
    const html = await page.text();
    const urls = assetsOf(html).filter((url) => !url.startsWith("data:"));
    expect(urls.length).toBe(3);
    expect(html).not.toMatch(/<script>|<style>|https?:\/\//);
    for (const url of urls) {
      expect(url).toStartWith("docs/");
      const asset = await get(`/${url}`);
      expect(asset.status, url).toBe(200);
      expect(asset.headers.get("content-type")).toMatch(/^text\/(css|javascript)/);
    }
    expect(html).toContain('data-openapi-url="docs/json"');
    expect(await (await get("/docs/init.js")).text()).toContain("validatorUrl: null");
  });

  test("resolves the same files from /docs/", async () => {
    const html = await (await get("/docs/")).text();
    for (const url of assetsOf(html).filter((url) => !url.startsWith("data:"))) {
      expect(url).toStartWith("./");
      expect((await get(`/docs/${url.slice(2)}`)).status, url).toBe(200);
    }
  });
});
