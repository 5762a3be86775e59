// The one polling helper of the tests: wait until something observable holds, instead of
// sleeping a fixed time. For "it did not happen", wait for a later observable event instead
// (e.g. a marker event published after the one that must not be handled).

export interface WaitOptions {
  /** give up after this many ms (default 5000) */
  timeout?: number;
  /** ms between tries (default 10) */
  interval?: number;
}

/**
 * Calls `fn` until it returns a truthy value (and returns that value) or the timeout passes
 * (then throws, naming the last value). A number is the timeout.
 */
export async function eventually<T>(
  fn: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  opts: WaitOptions | number = {},
): Promise<T> {
  const { timeout = 5000, interval = 10 } = typeof opts === 'number' ? { timeout: opts } : opts;
  const end = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v as T;
    if (Date.now() > end) throw new Error(`eventually: still ${JSON.stringify(v)} after ${timeout} ms`);
    await new Promise((r) => setTimeout(r, interval));
  }
}
