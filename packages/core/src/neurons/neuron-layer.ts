import * as tf from '@tensorflow/tfjs-core';
import type { Tensor } from '@tensorflow/tfjs-core';
import { check } from '../errors.js';
import { Layer } from '../layers/layer.js';
import { assertChannelsLast, assertSequence } from '../layout/sequence.js';
import { spikingMessages } from '../messages.js';

/** Options every DeepSpike neuron layer accepts. */
export interface NeuronLayerOptions {
  /**
   * When set, inputs must be channels-last with this many channels (`[T, N, H, W, C]` / `[T, N, C]`),
   * and a channels-first input is answered with an NCHW hint. The neuron itself is elementwise.
   */
  readonly channels?: number;
}

/**
 * Base of spiking neuron layers: multi-step `forward(x [T, N, ...])` (from rest: the sequence starts
 * at `u = 0`, independent of any `step()` state), single-step `step(x [N, ...])` which carries
 * `(u, o)` between calls until `resetState()`, and monitoring (`recordRates` -> `lastFiringRate`,
 * `recordSpikes` -> `lastSpikes`; both kept outside tidy and replaced on the next forward/step).
 * Subclasses implement {@link NeuronLayer.multiStep} and {@link NeuronLayer.singleStep}; the two must
 * agree (a step loop equals the multi-step pass).
 */
export abstract class NeuronLayer extends Layer {
  /** Record the mean spike rate of each forward in {@link lastFiringRate} (default false). */
  recordRates = false;
  /** Scalar mean spike rate of the last forward/step (when `recordRates`), else null. */
  lastFiringRate: Tensor | null = null;
  /** Record a copy of the last output spikes in {@link lastSpikes} (default false). */
  recordSpikes = false;
  /** The last forward's (or step's) spikes (when `recordSpikes`), else null. */
  lastSpikes: Tensor | null = null;
  /** Channels expected on the last axis, when declared. */
  readonly channels: number | undefined;

  private state: { u: Tensor; o: Tensor } | null = null;
  /** Earlier step states still referenced by an active gradient tape; freed by resetState(). */
  private readonly history: Tensor[] = [];

  constructor(name: string, options: NeuronLayerOptions = {}) {
    super(name);
    this.channels = options.channels;
  }

  /**
   * The neuron over a whole sequence, from rest.
   * @param x [T, N, ...] float32 input currents
   * @returns spikes, x's shape
   */
  protected abstract multiStep(x: Tensor): Tensor;

  /**
   * One step from the previous pre-reset potential and spikes (null at the first step).
   * @param x [N, ...] float32 input current
   */
  protected abstract singleStep(x: Tensor, prev: { u: Tensor; o: Tensor } | null): { o: Tensor; u: Tensor };

  /**
   * Runs the neuron over a sequence from rest.
   * @param x [T, N, H, W, C] or [T, N, C] input currents (time first)
   * @returns [T, N, ...] spikes (0/1 float32)
   */
  forward(x: Tensor): Tensor {
    return this.forwardFused(x, (h) => this.multiStep(h));
  }

  /**
   * Runs `fused` in place of this neuron's own pass over the sequence: for an op that computes this
   * neuron's spikes together with the layer feeding it (a norm fused into the neuron, see
   * `normIntoNeuron`). Same checks of the sequence and the same monitoring as {@link forward}.
   * @param x [T, N, ...] the fused op's input (the feeding layer's input, of the neuron input's shape)
   * @param fused computes the spikes from x
   */
  forwardFused(x: Tensor, fused: (x: Tensor) => Tensor): Tensor {
    const where = `${this.constructor.name} "${this.name}".forward`;
    assertSequence(x, where);
    if (this.channels !== undefined) assertChannelsLast(x, this.channels, where);
    check(x.dtype === 'float32', () => spikingMessages.dtype(where, x.dtype));
    const spikes = tf.tidy(() => fused(x));
    this.record(spikes);
    return spikes;
  }

  /**
   * Advances the neuron one time step, carrying its state to the next call.
   * @param x [N, ...] input current of this step
   * @returns [N, ...] spikes of this step
   */
  step(x: Tensor): Tensor {
    const where = `${this.constructor.name} "${this.name}".step`;
    check(x.rank >= 1, () => spikingMessages.rank(where, x.shape, 'rank >= 1: [N, ...] (one time step)', 'Pass one time step x[t].'));
    check(x.dtype === 'float32', () => spikingMessages.dtype(where, x.dtype));
    const prev = this.state;
    if (prev) check(tf.util.arraysEqual(prev.u.shape, x.shape), () => spikingMessages.stepShape(where, x.shape, prev.u.shape));
    const next = tf.tidy(() => this.singleStep(x, prev));
    tf.keep(next.u);
    tf.keep(next.o);
    if (prev) {
      // Backprop through a step loop needs the earlier states; free them only when no tape records.
      if (tf.engine().isTapeOn()) this.history.push(prev.u, prev.o);
      else tf.dispose([prev.u, prev.o]);
    }
    this.state = next;
    const spikes = tf.clone(next.o);
    this.record(spikes);
    return spikes;
  }

  /** Clears the single-step state (and this layer's children's). */
  override resetState(): void {
    if (this.state) tf.dispose([this.state.u, this.state.o]);
    tf.dispose(this.history.splice(0));
    this.state = null;
    super.resetState();
  }

  /** Frees parameters, state and recorded monitors. */
  override dispose(): void {
    this.resetState();
    if (this.lastFiringRate) this.lastFiringRate.dispose();
    if (this.lastSpikes) this.lastSpikes.dispose();
    this.lastFiringRate = null;
    this.lastSpikes = null;
    super.dispose();
  }

  private record(spikes: Tensor): void {
    if (this.recordRates) {
      const rate = tf.keep(tf.tidy(() => tf.mean(spikes)));
      if (this.lastFiringRate) this.lastFiringRate.dispose();
      this.lastFiringRate = rate;
    }
    if (this.recordSpikes) {
      const copy = tf.keep(tf.clone(spikes));
      if (this.lastSpikes) this.lastSpikes.dispose();
      this.lastSpikes = copy;
    }
  }
}
