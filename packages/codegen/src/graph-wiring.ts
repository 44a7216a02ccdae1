import { DeepSpikeError } from '@deepspike/core';
import { messages } from './messages.js';

/** What a layer of the plan is wired to (see {@link GraphWiring.receive}). */
export interface Wired {
  /** The per-sample shape the layer receives. */
  readonly shape: readonly number[];
  /** Fields (or `"input"`) whose outputs are summed into the layer. */
  readonly sources: readonly string[];
  /** `sources` when they are not simply the previous node (a graph edge), else undefined. */
  readonly inputs?: readonly string[];
}

interface Named {
  readonly field: string;
  readonly pointer: string;
  readonly spec: { readonly name?: string; readonly inputs?: readonly string[] };
}

/**
 * Resolves a spec's `inputs` (names of earlier top-level layers, or `"input"`) to plan fields while
 * the plan is built: a name stands for its node's field, or, for a layer the plan drops (a norm of
 * kind `none`), for whatever that layer received.
 */
export class GraphWiring {
  private readonly byName = new Map<string, { readonly sources: readonly string[]; readonly shape: readonly number[] }>();
  private running: readonly string[] = ['input'];
  private lastKept = 'input';

  constructor(inputShape: readonly number[]) {
    this.byName.set('input', { sources: ['input'], shape: inputShape });
  }

  /** The inputs of layer `f`, which follows a layer whose output has `shape`. */
  receive(f: Named, shape: readonly number[]): Wired {
    const names = f.spec.inputs;
    let sources = this.running;
    let received = shape;
    if (names !== undefined) {
      sources = names.flatMap((n, j) => {
        const e = this.byName.get(n);
        if (!e) throw new DeepSpikeError(messages.unknownInput(`${f.pointer}/inputs/${j}`, n, [...this.byName.keys()]));
        received = e.shape;
        return e.sources;
      });
    }
    const chain = sources.length === 1 && sources[0] === this.lastKept;
    return { shape: received, sources, ...(chain ? {} : { inputs: sources }) };
  }

  /** Records what layer `f` produced (`kept`: the plan has a node for it). */
  produced(f: Named, kept: boolean, sources: readonly string[], out: readonly number[]): void {
    const own = kept ? [f.field] : sources;
    this.running = own;
    if (kept) this.lastKept = f.field;
    if (f.spec.name !== undefined && /^\/layers\/\d+$/.test(f.pointer)) this.byName.set(f.spec.name, { sources: own, shape: out });
  }
}
