import { Type, type NumberOptions } from "@sinclair/typebox";

/**
 * An integer query parameter. Query values arrive as text and the routes convert numbers, not
 * integers, so an integer is a number that is a multiple of 1.
 */
export const QueryInteger = (options: NumberOptions = {}) => Type.Number({ ...options, multipleOf: 1 });
