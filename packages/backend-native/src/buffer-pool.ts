/**
 * A free list of float32 arrays keyed by length, so that a training loop, which allocates the same
 * output sizes every step, stops allocating. Why it matters: every `new Float32Array` of tens of
 * MB is fresh memory from the OS (page faults in the kernel) and external memory that pushes V8
 * into a full mark-compact; profiling the mnist benchmark step showed about half of the CPU time
 * in V8's concurrent marking/sweeping and page faults, not in the kernels.
 *
 * The pool only stores and hands out arrays; deciding when an array is no longer referenced is
 * the backend's job ({@link NativeBackend}).
 */
export class BufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  private held = 0;
  private hits = 0;
  private misses = 0;

  /** @param maxBytes most bytes kept in the free lists (arrays given beyond it are left to the GC); 0 disables. */
  constructor(readonly maxBytes: number) {}

  /** An array of `n` elements with UNSPECIFIED contents (a recycled one when available). */
  take(n: number): Float32Array {
    const list = this.free.get(n);
    const a = list?.pop();
    if (a) {
      this.held -= a.byteLength;
      this.hits++;
      return a;
    }
    this.misses++;
    return new Float32Array(n);
  }

  /** An array of `n` zeros. */
  zeros(n: number): Float32Array {
    const list = this.free.get(n);
    if (list && list.length > 0) return this.take(n).fill(0);
    return this.take(n);
  }

  /** Returns an array no one references any more; it must own its whole buffer. */
  give(a: Float32Array): void {
    if (a.byteOffset !== 0 || a.byteLength !== a.buffer.byteLength || a.length === 0) return;
    if (this.held + a.byteLength > this.maxBytes) return;
    let list = this.free.get(a.length);
    if (!list) this.free.set(a.length, (list = []));
    list.push(a);
    this.held += a.byteLength;
  }

  /** Drops every free array (the GC reclaims them). */
  clear(): void {
    this.free.clear();
    this.held = 0;
  }

  /** Bytes in the free lists, and how many `take`s were served from them (hits) or allocated (misses). */
  stats(): { heldBytes: number; hits: number; misses: number } {
    return { heldBytes: this.held, hits: this.hits, misses: this.misses };
  }
}
