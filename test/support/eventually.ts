/**
 * Polls a check until it holds, for tests that wait on something asynchronous (a watch event, a log line, a port).
 * Framework-free, so Vitest tests, Playwright specs and the benchmark share it.
 *
 *   await eventually(() => relay.activeStreams() === 2, 'a second Relay stream');
 *   const snap = await eventually(() => { const s = view.snapshot(); expect(s.stale).toBe(true); return s; });
 */

export interface EventuallyOptions {
  /** What is awaited, for the failure message, e.g. "hubble-ui missing". */
  what?: string;
  /** Give up after this long, ms (default 5000). */
  timeoutMs?: number;
  /** Pause between two tries, ms (default 20). */
  intervalMs?: number;
}

/**
 * Calls `check` until it returns without throwing and with something other than `false`, then resolves with what
 * it returned. A throw (e.g. a failed `expect`) or `false` means "not yet"; anything else holds — including
 * `undefined`, so an assertion callback works, and so does a `find` that found nothing: return `x !== undefined`.
 * On timeout it rejects with the last error (as `cause` and in the message) or the last `false`.
 * An async check still pending at the deadline counts as a timeout.
 */
export async function eventually<T>(
  check: () => T | PromiseLike<T>,
  options: EventuallyOptions | string = {},
): Promise<Exclude<T, false>> {
  const opts = typeof options === 'string' ? { what: options } : options;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const intervalMs = opts.intervalMs ?? 20;
  const started = Date.now();
  const deadline = started + timeoutMs;
  let tries = 0;
  let last: { error: unknown } | { value: false } | { pending: true } = { value: false };
  for (;;) {
    tries++;
    const attempt = await settleBefore(deadline, () => check());
    if ('value' in attempt && attempt.value !== false) return attempt.value as Exclude<T, false>;
    last = attempt as typeof last;
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, Math.min(intervalMs, Math.max(0, deadline - Date.now()))));
  }
  const what = opts.what ? `"${opts.what}"` : 'condition';
  const head = `eventually: ${what} did not hold within ${timeoutMs} ms (${tries} ${tries === 1 ? 'try' : 'tries'})`;
  if ('error' in last) {
    const msg = last.error instanceof Error ? last.error.message : String(last.error);
    throw new Error(`${head}; last error: ${msg}`, { cause: last.error });
  }
  if ('pending' in last) throw new Error(`${head}; the last try was still running`);
  throw new Error(`${head}; the last try returned false`);
}

/** Runs one try; an async one is cut off at the deadline (it may still finish in the background, unobserved). */
async function settleBefore<T>(
  deadline: number,
  run: () => T | PromiseLike<T>,
): Promise<{ value: T } | { error: unknown } | { pending: true }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const result = run();
    if (!isThenable(result)) return { value: result };
    const late = new Promise<{ pending: true }>((r) => {
      timer = setTimeout(() => r({ pending: true }), Math.max(0, deadline - Date.now()));
    });
    return await Promise.race([
      Promise.resolve(result).then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      ),
      late,
    ]);
  } catch (error) {
    return { error };
  } finally {
    clearTimeout(timer);
  }
}

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
