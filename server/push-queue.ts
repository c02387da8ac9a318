/**
 * An async iterable a producer feeds: push() queues items for the one reader's `for await`, end() lets it
 * finish what is queued and stop (or then throw the error end() was given).
 */
export interface PushQueue<T> {
  push(...items: T[]): void;
  /** The first call counts; later ones (e.g. a leave after a failure) change nothing. */
  end(error?: unknown): void;
  readonly iterable: AsyncIterable<T>;
}

export interface PushQueueOptions {
  /** Items held at most; a push beyond it discards the oldest. Default: unbounded. */
  cap?: number;
  /** Runs when the reader is done with the iterable, however it ended (end(), an error, or breaking off). */
  onRelease?: () => void;
}

export function createPushQueue<T>(opts: PushQueueOptions = {}): PushQueue<T> {
  const queue: T[] = [];
  const cap = opts.cap ?? Infinity;
  let done = false;
  let failure: unknown;
  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  return {
    push(...items) {
      for (const item of items) {
        if (queue.length >= cap) queue.shift();
        queue.push(item);
      }
      notify();
    },
    end(error) {
      if (done) return;
      done = true;
      failure = error;
      notify();
    },
    iterable: {
      async *[Symbol.asyncIterator]() {
        try {
          for (;;) {
            while (queue.length > 0) yield queue.shift() as T;
            if (done) break;
            await new Promise<void>((r) => (wake = r));
          }
          if (failure !== undefined) throw failure;
        } finally {
          opts.onRelease?.();
        }
      },
    },
  };
}
