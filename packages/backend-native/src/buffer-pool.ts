/**
 * A free list of float32 arrays keyed by length, so that a training loop, which allocates the same
 * output sizes every step, stops allocating. Why it matters: every `new Float32Array` of tens of
 * MB is fresh memory from the OS (page faults in the kernel) and external memory that pushes V8
 * into a full mark-compact; profiling the mnist benchmark step showed about half of the CPU time
 * in V8's concurrent marking/sweeping and page faults, not in the kernels.
 *
 * Arrays that are given but not needed are trimmed, so the pool holds what the loop reuses and not
 * more: every {@link BufferPool.window} takes, each length drops as many arrays as stayed unused in
 * its free list for the whole window (the list's low-water mark). Without it the pool filled to its
 * byte budget with arrays no take ever asked for: outputs of tf.js's own JavaScript kernels (given
 * back on disposal, never taken, since only native kernels take) and evaluation-sized arrays
 * during training (measured: +2.6 MB/s, 3.4 GB RSS after 8 epochs of an MNIST model).
 *
 * Arrays of at least {@link ALIGNED_MIN_LENGTH} elements start on a cache line when the pool has an
 * {@link Aligner} (the native backend's does, 64 bytes): `new Float32Array(n)` starts 16 bytes into
 * one (glibc's chunk header), so every 512-bit load or store of a row split two lines. Such an array
 * is a view a few elements into a slightly longer buffer; the pool remembers the arrays it made
 * and takes them back although they do not start their buffer ({@link BufferPool.accepts}).
 *
 * The pool only stores and hands out arrays; deciding when an array is no longer referenced is
 * the backend's job ({@link NativeBackend}).
 */
export class BufferPool {
  private readonly made = new WeakSet<Float32Array>();
  private readonly free = new Map<number, FreeList>();
  private held = 0;
  private hits = 0;
  private misses = 0;
  private takesInWindow = 0;
  private trimmed = 0;

  /**
   * @param maxBytes most bytes kept in the free lists (arrays given beyond it are left to the GC); 0 disables.
   * @param window takes between two trims (default 4096: a few seconds of training).
   * @param aligner where in memory a buffer starts, to align the arrays the pool makes (none: plain `new Float32Array`).
   */
  constructor(
    readonly maxBytes: number,
    readonly window = 4096,
    private aligner: Aligner | null = null,
  ) {}

  /** The alignment of the arrays the pool makes, bytes (0: none); {@link setAligner} changes it. */
  get alignment(): number {
    return this.aligner?.bytes ?? 0;
  }

  /** Changes how new arrays are aligned (null: not at all) and drops every free array. */
  setAligner(aligner: Aligner | null): void {
    this.aligner = aligner;
    this.clear();
  }

  /** An array of `n` elements with UNSPECIFIED contents (a recycled one when available). */
  take(n: number): Float32Array {
    if (++this.takesInWindow >= this.window) this.trim();
    const list = this.free.get(n);
    const a = list?.arrays.pop();
    if (list && a) {
      list.low = Math.min(list.low, list.arrays.length);
      this.held -= a.byteLength;
      this.hits++;
      return a;
    }
    this.misses++;
    return this.make(n);
  }

  /** A new zeroed array of `n` elements, cache-line aligned when the pool has an aligner and n is large. */
  private make(n: number): Float32Array {
    const al = this.aligner;
    if (!al || n < ALIGNED_MIN_LENGTH) return new Float32Array(n);
    const buffer = new ArrayBuffer(4 * n + al.bytes - 4);
    const a = new Float32Array(buffer, al.skip(buffer, al.bytes), n);
    this.made.add(a);
    return a;
  }

  /**
   * Whether {@link give} would keep `a` (budget aside): an array this pool made, or one that owns its
   * whole buffer (when the pool aligns, only if that buffer happens to start aligned).
   */
  accepts(a: Float32Array): boolean {
    if (a.length === 0) return false;
    if (this.made.has(a)) return true;
    if (a.byteOffset !== 0 || a.byteLength !== a.buffer.byteLength) return false;
    const al = this.aligner;
    return !al || a.length < ALIGNED_MIN_LENGTH || al.skip(a.buffer as ArrayBuffer, al.bytes) === 0;
  }

  /** An array of `n` zeros. */
  zeros(n: number): Float32Array {
    const list = this.free.get(n);
    if (list && list.arrays.length > 0) return this.take(n).fill(0);
    return this.take(n);
  }

  /** Returns an array no one references any more; kept when {@link accepts} says so and the budget allows. */
  give(a: Float32Array): void {
    if (!this.accepts(a)) return;
    if (this.held + a.byteLength > this.maxBytes) return;
    let list = this.free.get(a.length);
    // A new list starts with low-water mark 0: its first window only measures.
    if (!list) this.free.set(a.length, (list = { arrays: [], low: 0 }));
    list.arrays.push(a);
    this.held += a.byteLength;
  }

  /**
   * Ends a window: drops, per length, the arrays that sat unused through all of it, and starts the
   * next window. Runs by itself every `window` takes.
   */
  trim(): void {
    this.takesInWindow = 0;
    for (const [n, list] of this.free) {
      if (list.low > 0) {
        const dropped = list.arrays.splice(0, list.low);
        this.held -= dropped.length * n * 4;
        this.trimmed += dropped.length;
      }
      if (list.arrays.length === 0) this.free.delete(n);
      else list.low = list.arrays.length;
    }
  }

  /** Drops every free array (the GC reclaims them). */
  clear(): void {
    this.free.clear();
    this.held = 0;
  }

  /**
   * Bytes in the free lists; how many `take`s were served from them (hits) or allocated (misses);
   * how many arrays trimming dropped.
   */
  stats(): { heldBytes: number; hits: number; misses: number; trimmed: number } {
    return { heldBytes: this.held, hits: this.hits, misses: this.misses, trimmed: this.trimmed };
  }
}

/** The shortest array the pool aligns: 1 KiB (shorter rows gain nothing worth the padding). */
export const ALIGNED_MIN_LENGTH = 256;

/** How the pool aligns the arrays it makes. */
export interface Aligner {
  /** The alignment, bytes: a power of two, a multiple of 4. */
  readonly bytes: number;
  /** Bytes from `buffer`'s first byte to the next multiple of `align` in memory (the addon's `alignSkip`). */
  skip(buffer: ArrayBuffer, align: number): number;
}

/** The free arrays of one length and the fewest there were since the window began. */
interface FreeList {
  readonly arrays: Float32Array[];
  low: number;
}
