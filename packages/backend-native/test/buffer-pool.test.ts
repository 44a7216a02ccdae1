import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs-core';
import { lif, stbpRectangle } from '@deepspike/core';
import { ALIGNED_MIN_LENGTH, BufferPool, cacheLineAligner, loadAddon, NativeBackend, type Aligner } from '@deepspike/backend-native';
import { closeness, rand, setup, skipWithoutAddon, under } from './helpers.js';

/**
 * Runs `fn` and counts the all-zero tensors of `size` elements made through the engine meanwhile:
 * what tf.js allocates for an output that received no gradient.
 */
function zeroTensorsMade(size: number, fn: () => void): number {
  const engine = tf.engine() as unknown as { makeTensor: (...a: unknown[]) => tf.Tensor };
  const makeTensor = engine.makeTensor;
  let zeros = 0;
  engine.makeTensor = function (this: unknown, ...a: unknown[]) {
    const v = a[0] as ArrayLike<number>;
    if (v.length === size && Array.prototype.every.call(v, (e: number) => e === 0)) zeros++;
    return makeTensor.apply(this, a);
  };
  try {
    fn();
  } finally {
    engine.makeTensor = makeTensor;
  }
  return zeros;
}

describe('BufferPool', () => {
  it('hands back a given array of the same length and counts hits and misses', () => {
    const pool = new BufferPool(1 << 20);
    const a = pool.take(1000);
    expect(pool.stats()).to.deep.equal({ heldBytes: 0, hits: 0, misses: 1, trimmed: 0 });
    a.fill(7);
    pool.give(a);
    expect(pool.stats().heldBytes).to.equal(4000);
    expect(pool.take(999)).to.not.equal(a);
    const b = pool.take(1000);
    expect(b).to.equal(a);
    pool.give(b);
    const z = pool.zeros(1000);
    expect(z).to.equal(a);
    expect(Array.from(z).every((v) => v === 0)).to.equal(true);
    expect(pool.stats()).to.deep.include({ hits: 2, misses: 2 });
  });

  it('refuses views, empty arrays and arrays beyond its byte budget', () => {
    const pool = new BufferPool(8000);
    const whole = new Float32Array(3000);
    pool.give(whole.subarray(0, 1000));
    pool.give(new Float32Array(0));
    expect(pool.stats().heldBytes).to.equal(0);
    pool.give(new Float32Array(1500));
    pool.give(new Float32Array(1000));
    expect(pool.stats().heldBytes).to.equal(6000);
  });

  it('drops, each window, the arrays that sat unused through all of it and keeps the ones a loop reuses', () => {
    const pool = new BufferPool(1 << 20, 4);
    const idle = new Float32Array(100);
    pool.give(idle); // e.g. an evaluation-sized array during training: never taken again
    const loop = (): void => {
      // One "step": two arrays of 10 in flight at once, then back.
      const a = pool.take(10);
      const b = pool.take(10);
      pool.give(a);
      pool.give(b);
    };
    loop();
    loop(); // 4 takes: the first window ends; the idle list was new in it, so it only measured
    expect(pool.stats().trimmed).to.equal(0);
    loop();
    loop(); // second window: idle sat there the whole time
    expect(pool.stats()).to.deep.include({ trimmed: 1, heldBytes: 2 * 10 * 4 });
    expect(pool.take(100)).to.not.equal(idle);
    const reused = pool.take(10);
    expect([reused.length, pool.stats().hits]).to.deep.equal([10, 7]);
  });

  it('stays bounded when arrays are given back more often than taken', () => {
    // tf.js's JavaScript kernels allocate their own outputs, which the backend gives back on disposal.
    const pool = new BufferPool(1 << 30, 64);
    for (let step = 0; step < 10_000; step++) {
      pool.give(pool.take(16));
      pool.give(new Float32Array(16));
      pool.give(new Float32Array(16));
    }
    // Without trimming: 2 * 10 000 arrays of 64 bytes; with it, at most two windows' worth.
    expect(pool.stats().heldBytes).to.be.at.most(2 * 64 * 2 * 64);
    expect(pool.stats().misses).to.equal(1);
  });
});

describe('BufferPool alignment', () => {
  // A stand-in for the addon: every buffer "starts" 16 bytes past a 64-byte line, as glibc's do.
  const sixteenPast: Aligner = { bytes: 64, skip: (_buffer, align) => (align - 16) % align };

  it('makes long arrays as views that start where the aligner says, and takes them back', () => {
    const pool = new BufferPool(1 << 20, 4096, sixteenPast);
    expect(pool.alignment).to.equal(64);
    const a = pool.take(1000);
    expect([a.length, a.byteOffset, a.buffer.byteLength]).to.deep.equal([1000, 48, 4000 + 60]);
    expect(Array.from(a.subarray(0, 5))).to.deep.equal([0, 0, 0, 0, 0]);
    expect(pool.accepts(a)).to.equal(true);
    pool.give(a);
    expect(pool.take(1000)).to.equal(a);
    // A view into the made array, or a whole array whose buffer does not start aligned: refused.
    expect(pool.accepts(a.subarray(16))).to.equal(false);
    expect(pool.accepts(new Float32Array(1000))).to.equal(false);
    pool.give(new Float32Array(1000));
    expect(pool.stats().heldBytes).to.equal(0);
    // Short arrays stay plain, and plain whole ones are kept.
    const short = pool.take(ALIGNED_MIN_LENGTH - 1);
    expect(short.byteOffset).to.equal(0);
    expect(pool.accepts(new Float32Array(ALIGNED_MIN_LENGTH - 1))).to.equal(true);
  });

  it('setAligner drops the free arrays and switches how new ones are made', () => {
    const pool = new BufferPool(1 << 20, 4096, sixteenPast);
    pool.give(pool.take(2000));
    expect(pool.stats().heldBytes).to.equal(8000);
    pool.setAligner(null);
    expect([pool.alignment, pool.stats().heldBytes]).to.deep.equal([0, 0]);
    const plain = pool.take(2000);
    expect([plain.byteOffset, plain.buffer.byteLength]).to.deep.equal([0, 8000]);
    expect(pool.accepts(plain)).to.equal(true);
  });

  it('with the addon, every long array it makes starts on a 64-byte line in memory', function () {
    skipWithoutAddon(this);
    const addon = loadAddon();
    const pool = new BufferPool(1 << 26, 4096, cacheLineAligner());
    let offset = 0;
    for (const n of [256, 257, 1000, 4099, 65536, 1 << 20]) {
      const a = pool.take(n);
      // The array's first byte is alignSkip bytes into its buffer exactly when it is aligned.
      expect(addon.alignSkip(a.buffer as ArrayBuffer, 64), `length ${n}`).to.equal(a.byteOffset);
      offset = Math.max(offset, a.byteOffset);
    }
    // The buffers themselves start off the line (glibc: 16 bytes in), so the views do move.
    expect(offset).to.be.greaterThan(0);
    expect(() => addon.alignSkip(new ArrayBuffer(64), 48)).to.throw(/power of two/);
  });
});

describe('deepspike-native recycles kernel outputs safely', () => {
  let backend: NativeBackend;
  before(async function () {
    skipWithoutAddon(this);
    await setup();
    tf.setBackend('deepspike-native');
    backend = tf.backend() as NativeBackend;
  });
  after(() => {
    tf.setBackend('cpu');
  });

  const N = 20000;

  it('a disposed kernel output serves the next kernel of the same size', () => {
    const x = rand([N], 1);
    const a = tf.relu(x);
    a.dispose();
    const before = backend.pool.stats().hits;
    const b = tf.neg(x);
    expect(backend.pool.stats().hits).to.equal(before + 1);
    const xs = x.dataSync();
    const bs = b.dataSync();
    for (let i = 0; i < N; i += 997) expect(bs[i]).to.equal(-(xs[i] as number));
    tf.dispose([x, b]);
  });

  it('native kernel outputs are 64-byte aligned in memory', () => {
    const x = rand([N], 7);
    const y = tf.relu(x);
    const values = (backend as unknown as { data: { get(id: object): { values: Float32Array } } }).data.get(y.dataId).values;
    expect(loadAddon().alignSkip(values.buffer as ArrayBuffer, 64)).to.equal(values.byteOffset);
    tf.dispose([x, y]);
  });

  it('an array read out with dataSync is never handed to another kernel', () => {
    const x = rand([N], 2);
    const q = tf.relu(x);
    const vals = q.dataSync();
    const expected = Float32Array.from(vals);
    q.dispose();
    for (let k = 0; k < 4; k++) tf.neg(x).dispose();
    const y = tf.exp(x);
    expect(Array.from(vals)).to.deep.equal(Array.from(expected));
    tf.dispose([x, y]);
  });

  it('a slice sharing the buffer of a disposed output keeps its values', () => {
    const x = rand([N], 3);
    const p = tf.relu(x);
    const view = tf.slice(p, [0], [N / 2]);
    p.dispose();
    const outs = [0, 1, 2, 3].map(() => tf.neg(x));
    const xs = x.dataSync();
    const vs = view.dataSync();
    for (let i = 0; i < N / 2; i += 101) expect(vs[i]).to.equal(Math.max(0, xs[i] as number));
    tf.dispose([x, view, ...outs]);
  });

  it('kernels overwrite every element of a recycled (dirty) output array', () => {
    // Every array the kernels take comes back full of NaN: any element a kernel does not write shows.
    const take = backend.pool.take.bind(backend.pool);
    const x = rand([2, 9, 9, 3], 4);
    const w = rand([3, 3, 3, 5], 5);
    const x2 = rand([2, 8, 8, 9], 6);
    const w2 = rand([3, 3, 9, 11], 7);
    const a = rand([37, 29], 8);
    const b = rand([29, 13], 9);
    const run = () => {
      const [dx, dw] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.conv2d(p as tf.Tensor4D, q as tf.Tensor4D, 1, 'same'))))([x, w]);
      const [dx2, dw2] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.conv2d(p as tf.Tensor4D, q as tf.Tensor4D, 2, 'same'))))([x2, w2]);
      const [dpa] = tf.grads((p: tf.Tensor) => tf.sum(tf.square(tf.avgPool(p as tf.Tensor4D, 3, 2, 'same'))))([x2]);
      const [dpm] = tf.grads((p: tf.Tensor) => tf.sum(tf.square(tf.maxPool(p as tf.Tensor4D, 2, 2, 'valid'))))([x2]);
      const [da, db] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.square(tf.matMul(p, q))))([a, b]);
      return [dx!, dw!, dx2!, dw2!, dpa!, dpm!, da!, db!];
    };
    const cpu = under('cpu', run);
    backend.pool.take = (n: number) => take(n).fill(Number.NaN);
    let nat: Float32Array[];
    try {
      nat = under('deepspike-native', run);
    } finally {
      backend.pool.take = take;
      tf.setBackend('deepspike-native');
    }
    const names = ['conv dx', 'conv dW (C<8)', 'conv s2 dx', 'conv s2 dW', 'avgPool grad', 'maxPool grad', 'matmul da', 'matmul db'];
    names.forEach((name, i) => expect(closeness(nat[i]!, cpu[i]!, 1e-4, 1e-4), name).to.be.at.most(1));
    tf.dispose([x, w, x2, w2, a, b]);
  });
});

describe('deepspike-native: no zero tensor for the unused membrane output of the LIF', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });

  it('a LIF gradient through the spikes only (u unused) equals cpu and, repeated, allocates nothing new', () => {
    const x = rand([4, 3, 20, 20, 8], 41, -0.5, 1.5);
    const g = rand(x.shape, 42);
    const opts = { vth: 0.5, tau: 0.25, surrogate: stbpRectangle(1), detachReset: false, implementation: 'fused' as const };
    const run = () => tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(lif(xx, opts).spikes, g)))(x);
    const cpu = under('cpu', run);
    const nat = under('deepspike-native', run);
    expect(closeness(nat[0]!, cpu[0]!, 1e-5, 1e-5)).to.be.at.most(1);
    tf.setBackend('deepspike-native');
    const pool = (tf.backend() as NativeBackend).pool;
    try {
      let misses = 0;
      // Sum's gradient also makes a tensor of this size, but of ones: only all-zero ones count.
      const fresh = zeroTensorsMade(x.size, () => {
        tf.tidy(() => { run(); });
        misses = pool.stats().misses;
        tf.tidy(() => { run(); });
        expect(pool.stats().misses, 'new arrays taken by kernels on the repeated gradient').to.equal(misses);
      });
      expect(fresh, 'zero tensors allocated for the unused u').to.equal(0);
    } finally {
      tf.setBackend('cpu');
    }
    tf.dispose([x, g]);
  });
});

describe('deepspike-native: other multi-output kernels get pooled zeros', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });

  it('the gradient of one piece of unstack equals cpu, with no zero tensor allocated by tf.js', () => {
    const x = rand([3, 50, 40], 61);
    const g = rand([50, 40], 62);
    const run = () => tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.unstack(xx)[1]!, g)))(x);
    const cpu = under('cpu', run);
    let nat: Float32Array[] = [];
    const zeros = zeroTensorsMade(2000, () => {
      nat = under('deepspike-native', run);
    });
    expect(zeros).to.equal(0);
    expect(Array.from(nat[0]!)).to.deep.equal(Array.from(cpu[0]!));
    tf.dispose([x, g]);
  });
});

describe('native Tile vs cpu', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });
  const CASES: Array<{ shape: number[]; reps: number[] }> = [
    { shape: [1, 3, 5, 5, 2], reps: [4, 1, 1, 1, 1] },
    { shape: [2, 3, 40], reps: [1, 3, 1] },
    { shape: [2, 3, 40], reps: [3, 2, 1] },
    { shape: [3, 70], reps: [1, 1] },
    { shape: [2, 70], reps: [2, 3] },
    { shape: [4, 1, 100], reps: [1, 5, 2] },
  ];
  CASES.forEach((c, i) => {
    it(`[${c.shape}] x [${c.reps}]`, () => {
      const x = rand(c.shape, 10 + i);
      const run = () => tf.tile(x, c.reps);
      const cpu = under('cpu', run);
      const nat = under('deepspike-native', run);
      expect(Array.from(nat[0]!)).to.deep.equal(Array.from(cpu[0]!));
      x.dispose();
    });
  });
});

describe('native Slice vs cpu', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });
  // Block copies (a cut after the first axis), and the cases left to the cpu kernel: a contiguous
  // range, runs under 64 elements, size -1.
  const CASES: Array<{ shape: number[]; begin: number[]; size: number[] }> = [
    { shape: [3, 16, 5, 5, 2], begin: [0, 8, 0, 0, 0], size: [3, 8, 5, 5, 2] },
    { shape: [3, 16, 5, 5, 2], begin: [1, 4, 0, 0, 0], size: [2, 4, -1, -1, -1] },
    { shape: [4, 10, 70], begin: [0, 3, 0], size: [4, 5, 70] },
    { shape: [4, 10, 70], begin: [2, 0, 0], size: [2, 10, 70] },
    { shape: [2, 6, 100], begin: [0, 1, 20], size: [2, 4, 64] },
    { shape: [4, 10, 3], begin: [0, 2, 0], size: [4, 3, 3] },
  ];
  CASES.forEach((c, i) => {
    it(`[${c.shape}] from [${c.begin}] size [${c.size}]`, () => {
      const x = rand(c.shape, 30 + i);
      const run = () => tf.slice(x, c.begin, c.size);
      const cpu = under('cpu', run);
      const nat = under('deepspike-native', run);
      expect(nat[0]!.length).to.be.above(0);
      expect(Array.from(nat[0]!)).to.deep.equal(Array.from(cpu[0]!));
      x.dispose();
    });
  });
});

describe('deepspike-native: float32 tensors stored as other typed arrays', () => {
  before(async function () {
    skipWithoutAddon(this);
    await setup();
  });
  after(() => {
    tf.setBackend('cpu');
  });

  it('Cast of bool / int32 to float32 makes float32 storage with the same values', () => {
    tf.setBackend('deepspike-native');
    const backend = tf.backend() as NativeBackend;
    tf.tidy(() => {
      const u = rand([4, 5, 6], 70);
      const b = tf.greaterEqual(u, 0.2);
      const s = tf.cast(b, 'float32');
      const n = tf.cast(tf.mul(u, 10), 'int32');
      const i = tf.cast(n, 'float32');
      expect(backend.data.get(s.dataId).values).to.be.instanceOf(Float32Array);
      expect(backend.data.get(i.dataId).values).to.be.instanceOf(Float32Array);
      expect(Array.from(s.dataSync())).to.deep.equal(Array.from(b.dataSync(), Number));
      expect(Array.from(i.dataSync())).to.deep.equal(Array.from(n.dataSync()));
    });
  });

  it('a conv of spikes made by cast(greaterEqual) equals cpu', () => {
    const x = rand([2, 9, 9, 16], 71);
    const w = rand([3, 3, 16, 8], 72);
    const run = () => tf.conv2d(tf.cast(tf.greaterEqual(x, 0.5), 'float32') as tf.Tensor4D, w as tf.Tensor4D, 1, 'same');
    const cpu = under('cpu', run);
    const nat = under('deepspike-native', run);
    expect(closeness(nat[0]!, cpu[0]!, 1e-5, 1e-5)).to.be.at.most(1);
    tf.dispose([x, w]);
  });

  it('a float32 tensor over Int32Array storage is read as float32 by native kernels', () => {
    tf.setBackend('deepspike-native');
    const backend = tf.backend() as NativeBackend;
    const ints = Int32Array.from({ length: 2 * 8 * 8 * 9 }, (_, k) => (k * 7) % 5);
    const info = backend.makeTensorInfo([2, 8, 8, 9], 'float32', ints);
    const x = tf.engine().makeTensorFromTensorInfo(info, backend) as tf.Tensor4D;
    const w = rand([3, 3, 9, 4], 73) as tf.Tensor4D;
    const nat = tf.conv2d(x, w, 1, 'same').dataSync();
    tf.setBackend('cpu');
    const cpu = tf.conv2d(tf.tensor4d(Float32Array.from(ints), [2, 8, 8, 9]), w, 1, 'same').dataSync();
    expect(closeness(Float32Array.from(nat), Float32Array.from(cpu), 1e-5, 1e-5)).to.be.at.most(1);
    tf.dispose([x, w]);
  });
});
