/**
 * @w2meet/testing — what the test suites share, and only they (a dev dependency, never in an image):
 * the servers a run uses and databases of its own, processes on free ports, polling, fakes of the
 * services, a cuttable TCP proxy, an SMTP catcher, RabbitMQ and iCalendar helpers, a logger whose
 * lines a test reads back, the broker check, OpenAPI fuzzing, and the schedule's brute-force reference.
 */
export * from "./calendar-dates.ts";
export * from "./databases.ts";
export * from "./fake-availability.ts";
export * from "./fake-service.ts";
export * from "./fake-users.ts";
export * from "./ical.ts";
export * from "./logs.ts";
export * from "./mail-catcher.ts";
export * from "./network.ts";
export * from "./openapi-fuzz.ts";
export * from "./people.ts";
export * from "./processes.ts";
export * from "./rabbit.ts";
export * from "./requests.ts";
export * from "./schedule-arbitraries.ts";
export * from "./schedule-reference.ts";
export * from "./servers.ts";
export * from "./tcp-proxy.ts";
export * from "./tokens.ts";
export * from "./wait.ts";
