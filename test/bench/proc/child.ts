/**
 * The bench's child processes (tool, gateway, reference proxies, Node load generator): each reports what it
 * offers with one IPC message and exits when its parent says "stop" (or goes away), so --cpu-prof profiles are
 * written on the way out.
 */
export function ready(value: unknown): void {
  if (!process.send) throw new Error('a bench child process needs an IPC channel');
  process.send({ ready: value });
}

/** Runs `stop` (then exits) on the parent's "stop" message or when the IPC channel closes. */
export function onStop(stop: () => Promise<void> | void): void {
  let stopping = false;
  const end = () => {
    if (stopping) return;
    stopping = true;
    void Promise.resolve()
      .then(stop)
      .catch(() => undefined)
      .finally(() => process.exit(0));
  };
  process.on('message', (m) => {
    if (m === 'stop') end();
  });
  process.on('disconnect', end);
}
