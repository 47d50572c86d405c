export * from "./week.ts";
export * from "./problem.ts";
export * from "./health.ts";
export * from "./group.ts";
export * from "./users.ts";
export * from "./query.ts";
export * from "./availability.ts";
export * from "./suggestions.ts";
