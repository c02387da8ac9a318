/** Fixed-size FIFO that overwrites its oldest entry when full, e.g. the frames waiting for a slow SSE client. */
export class RingBuffer<T> {
  private readonly items: (T | undefined)[];
  private head = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`ring buffer capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  /** Entries waiting now (≤ capacity). */
  get size(): number {
    return this.count;
  }

  /** Appends v; returns true when the oldest entry was overwritten to make room. */
  push(v: T): boolean {
    const overwrote = this.count === this.capacity;
    this.items[(this.head + this.count) % this.capacity] = v;
    if (overwrote) this.head = (this.head + 1) % this.capacity;
    else this.count++;
    return overwrote;
  }

  /** Removes and returns the oldest entry, or undefined when empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const v = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return v;
  }
}
