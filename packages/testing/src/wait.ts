/** Polls `probe` until it returns a truthy value, or fails after `timeoutMs`. Never a fixed sleep. */
export async function waitFor<T>(
  probe: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<NonNullable<T>> {
  const deadline = performance.now() + (options.timeoutMs ?? 10_000);
  let last: unknown;
  while (performance.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value as NonNullable<T>;
    } catch (error) {
      last = error;
    }
    await Bun.sleep(options.intervalMs ?? 25);
  }
  throw new Error(`Timed out waiting for ${options.what ?? "a condition"}${last ? `: ${String(last)}` : ""}`);
}
