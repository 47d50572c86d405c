/**
 * The Swagger UI page of a service. Everything it loads comes from the service itself, so it works
 * offline and a third-party script never runs on the API's origin; its Content-Security-Policy holds it
 * to that. Swagger UI styles elements inline and draws its icons as data: images, so those two are allowed.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The page at `pagePath`. Every URL in it is relative to the page, so it works at the service's own
 * `/docs` and behind a gateway that serves it under a prefix (`/users/docs`).
 */
export function docsPage(options: { title: string; pagePath: string; assets: string }): string {
  // "docs/x" from /users/docs is /users/docs/x; from /users/docs/ it is "./x".
  const here = options.pagePath.endsWith("/") ? "./" : `${options.pagePath.split("/").pop()}/`;
  const title = escapeHtml(options.title);
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <link rel="icon" href="data:,">
  <link rel="stylesheet" href="${here}${options.assets}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui" data-openapi-url="${here}json"></div>
  <script src="${here}${options.assets}/swagger-ui-bundle.js"></script>
  <script src="${here}init.js"></script>
</body>
</html>
`;
}

/** Starts Swagger UI on the page's document; an external script, so the CSP needs no inline scripts. */
export const DOCS_INIT_SCRIPT = `"use strict";
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: new URL(root.getAttribute("data-openapi-url"), document.baseURI).href,
    domNode: root,
    deepLinking: true,
    // The default validator badge would send the document to validator.swagger.io.
    validatorUrl: null,
  });
})();
`;
