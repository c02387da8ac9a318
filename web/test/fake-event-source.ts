/** An EventSource double: records what the panel opens; `emit` plays the server's events, `fail` its own error. */
export class FakeEventSource {
  static instances: FakeEventSource[] = [];
  listeners: Record<string, ((e: Event) => void)[]> = {};
  closed = false;
  constructor(public url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, fn: (e: Event) => void) {
    (this.listeners[type] ??= []).push(fn);
  }
  close() {
    this.closed = true;
  }
  /** One server event, e.g. `emit("lost", { count: 3, source: "HUBBLE_RING_BUFFER", node: "n1" })`. */
  emit(type: string, data: unknown) {
    const text = typeof data === 'string' ? data : JSON.stringify(data);
    for (const fn of this.listeners[type] ?? []) fn(new MessageEvent(type, { data: text }));
  }
  /** EventSource's own "error": the connection failed or closed (no data). */
  fail() {
    for (const fn of this.listeners.error ?? []) fn(new Event('error'));
  }
}
