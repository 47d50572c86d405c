import { Problem, User, VerificationSent, VerifyEmailConfirm, VerifyEmailRequest } from "@w2meet/contracts";
import { caseIdOf } from "@w2meet/kit";
import { Elysia } from "elysia";
import * as verification from "./service.ts";

const tags = ["auth"];

/** Email verification: a six-digit code mailed (through the worker) and confirmed. */
export const verificationRoutes = (deps: verification.VerificationDeps) =>
  new Elysia({ name: "verification.routes", prefix: "/auth" })
    .post(
      "/verify-email",
      async ({ body, set }) => {
        const sent = await verification.sendCode(deps, body.email, caseIdOf(set));
        set.status = 202;
        return sent;
      },
      {
        body: VerifyEmailRequest,
        response: { 202: VerificationSent, 400: Problem, 404: Problem, 429: Problem, 503: Problem },
        detail: {
          tags,
          summary: "Mail a code that proves this address",
          description:
            "A six-digit code, valid 15 minutes, replacing any earlier one; at most one a minute per address (429 with " +
            "`Retry-After`). 404 for an address no user has; 503 when the mail cannot be handed on.",
        },
      },
    )
    .post("/verify-email/confirm", ({ body }) => verification.confirmCode(deps, body), {
      body: VerifyEmailConfirm,
      response: { 200: User, 400: Problem, 503: Problem },
      detail: {
        tags,
        summary: "Confirm the mailed code: the address is verified",
        description:
          "The right code marks the address verified and is used up. A wrong one is a 400 naming `code`; after five the code is " +
          "void. With no code pending (expired, used, void, never asked for) the 400 says to ask for a new one.",
      },
    });
