import { notFound } from "@w2meet/kit";
import { Elysia } from "elysia";
import { type PageBundle, SCREENS, servePageFile } from "./service.ts";

const hidden = { hide: true };

/** The page's screens and their hashed assets, from the bundle built at start-up. */
export const pageAssetRoutes = (bundle: PageBundle) => {
  const screen =
    (path: keyof typeof SCREENS) =>
    ({ request }: { request: Request }) =>
      servePageFile(bundle.get(SCREENS[path])!, request);
  return new Elysia({ name: "web.page-assets" })
    .get("/", screen("/"), { detail: { ...hidden, summary: "Your week" } })
    .get("/group", screen("/group"), { detail: { ...hidden, summary: "Your group" } })
    .get(
      "/assets/*",
      ({ request, params }) => {
        const file = bundle.get(`/assets/${params["*"]}`);
        if (!file) throw notFound(`No asset /assets/${params["*"]}`);
        return servePageFile(file, request);
      },
      { detail: { ...hidden, summary: "A bundled, hashed script or style sheet" } },
    );
};
