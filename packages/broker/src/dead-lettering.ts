/**
 * Quorum queues dead-letter at least once (the broker keeps the message until the target confirms), which
 * requires rejecting publishes rather than dropping the head when a queue is full. The arguments of every
 * such queue: the worker's lanes, and the test broker check that must see the broker take them.
 */
export const AT_LEAST_ONCE_DEAD_LETTERING = { "x-dead-letter-strategy": "at-least-once", "x-overflow": "reject-publish" } as const;
