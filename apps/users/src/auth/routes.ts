import { Jwks, Problem, TokenRequest, TokenResponse } from "@w2meet/contracts";
import { Elysia } from "elysia";
import * as auth from "./service.ts";

const tags = ["auth"];

/** Tokens: a login that answers one, and the public keys that verify them. */
export const authRoutes = (deps: auth.AuthDeps) =>
  new Elysia({ name: "auth.routes", prefix: "/auth" })
    .post("/token", ({ body, request, server }) => auth.login(deps, body, auth.clientIpOf(request, server)), {
      body: TokenRequest,
      response: { 200: TokenResponse, 400: Problem, 401: Problem, 429: Problem, 503: Problem },
      detail: {
        tags,
        summary: "Log in: a bearer token for a protected profile",
        description:
          "An EdDSA-signed JWT for `Authorization: Bearer …`, valid at most 15 minutes. A wrong password, an unknown email and a " +
          "profile without a password are the same 401. After too many failures for one email or from one address, 429 with " +
          "`Retry-After` until the window ends.",
      },
    })
    .get(
      "/jwks.json",
      ({ set }) => {
        set.headers["cache-control"] = "public, max-age=300";
        return deps.tokens.keys.jwks;
      },
      {
        response: { 200: Jwks },
        detail: {
          tags,
          summary: "The public keys that verify tokens (JWKS)",
          description: "The current key first, then earlier ones still accepted. Every service verifies tokens with these.",
        },
      },
    );
