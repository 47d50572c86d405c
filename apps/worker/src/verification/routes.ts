import { Problem, VerificationMail, VerificationMailAccepted, VerificationMailHeaders } from "@w2meet/contracts";
import { caseIdOf, forbidden, INTERNAL_TAG, NEEDS_TOKEN, requirePrincipal } from "@w2meet/kit";
import { Elysia } from "elysia";
import { acceptVerificationMail, type VerificationDeps } from "./service.ts";

/** Only another W2Meet service (the users service) may have the worker mail someone: never a person's token. */
function requireService(request: Request): void {
  const principal = requirePrincipal(request, "Sending a verification mail");
  if (principal.role !== "service") throw forbidden("Only a W2Meet service may send verification mails");
}

/**
 * `POST /verification-mails`: the users service hands the worker a code to mail. Internal: the gateway
 * does not route it, and it needs a token of role `service`.
 */
export const verificationRoutes = (deps: VerificationDeps) =>
  new Elysia({ name: "verification.routes" }).post(
    "/verification-mails",
    async ({ body, headers, set }) => {
      const accepted = await acceptVerificationMail(deps, body, { caseId: caseIdOf(set), idempotencyKey: headers["idempotency-key"] });
      set.status = 202;
      return accepted;
    },
    {
      // Before the body and headers are checked: who may call comes first, and tells a stranger nothing more.
      transform: ({ request }) => requireService(request),
      body: VerificationMail,
      headers: VerificationMailHeaders,
      response: { 202: VerificationMailAccepted, 400: Problem, 401: Problem, 403: Problem, 409: Problem, 503: Problem },
      detail: {
        tags: ["verification", INTERNAL_TAG],
        summary: "Mail a verification code (for the users service only)",
        description:
          "Needs a bearer token of role `service` (401 without a token, 403 with any other) and an `Idempotency-Key`. " +
          "Answers 202 once the mail is stored; the worker then mails the code once, unless it has expired by then. " +
          "The same key again answers the same mail; with a different mail it is a 409. Not routed by the gateway.",
        security: NEEDS_TOKEN,
      },
    },
  );
