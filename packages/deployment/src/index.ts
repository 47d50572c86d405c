/**
 * @w2meet/deployment — reads the deployment files the way Docker, Compose and Traefik do, for the checks
 * that run without them: Dockerfile instructions and .dockerignore matching, Compose files with their
 * interpolation and merge keys, Traefik's routers, rules and middlewares, and what an image provides.
 */
export * from "./compose-file.ts";
export * from "./dockerfile.ts";
export * from "./images.ts";
export * from "./traefik.ts";
