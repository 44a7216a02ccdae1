import type { ZooResult, ZooRow } from './run.js';
import { ZOO } from './zoo.js';

const si = (n: number): string => (n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : n >= 1e6 ? `${(n / 1e6).toFixed(1)} M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)} k` : n.toFixed(0));
const rate = (n: number | null): string => (n === null ? '—' : n >= 10 ? n.toFixed(0) : n >= 1 ? n.toFixed(1) : n.toFixed(2));

/** The zoo as a Markdown table (one row per architecture). */
export function zooTable(r: ZooResult): string {
  const head = '| model file | architecture | input, T | parameters | SOPs / sample | MACs / sample | mean firing rate | inference samples/s (batch) | training samples/s | paper | paper’s result |';
  const sep = '|---|---|---|---:|---:|---:|---:|---:|---:|---|---|';
  const row = (z: ZooRow): string =>
    `| \`examples/${z.model}\` | ${z.architecture} | ${z.input}, ${z.timesteps} | ${z.params.toLocaleString('en-US')} | ${si(z.sopsPerSample)}${z.attentionSopsPerSample > 0 ? ` (${si(z.attentionSopsPerSample)} attention)` : ''} | ${si(z.macsPerSample)} | ${z.meanFiringRate.toFixed(3)} | ${rate(z.inferSamplesPerSec)} (${z.inferBatch}) | ${rate(z.trainSamplesPerSec)} | ${z.paper} | ${ZOO.find((e) => e.folder === z.model)?.reported ?? '—'} |`;
  return [head, sep, ...r.rows.map(row)].join('\n');
}

/** docs/model-zoo.md: the method, the caveats, the table, and how to regenerate it. */
export function zooMarkdown(r: ZooResult): string {
  return `# Model zoo

Every architecture with a model file under \`examples/\`, measured on this project's machine by

\`\`\`
deepspike bench zoo --write docs/model-zoo.md
\`\`\`

(generated ${r.date}, backend \`${r.backend}\`, ${r.cpus} CPUs with a 1-minute load average of ${r.loadBefore.toFixed(1)} before and
${r.loadAfter.toFixed(1)} after the run — other jobs share the machine; \`--json\` prints the raw figures, \`--models a,b\` measures some).
Each model file validates, generates a typed class and runs (\`packages/codegen/test/examples.test.ts\`); the new
blocks are checked layer by layer, gradients included, against PyTorch formulations of their papers
(\`tools/arch-reference/arch_vectors.py\`, \`packages/codegen/test/arch-reference.test.ts\`).

${zooTable(r)}

## How the figures are made

- **Paper's result**: the accuracy the cited paper reports for that architecture and T, quoted, not
  reproduced here (this machine holds no CIFAR or ImageNet data); none of these models was trained to convergence.
- **Parameters**: trainable scalars of the built model (norm scale and shift included, running statistics not).
- **SOPs / sample**: one forward pass of ${r.samples} seeded samples through the *untrained*, seeded model with
  training-mode norms (batch statistics normalise the currents as in training). Every Conv2d, Linear and
  spiking self-attention call is watched: an input of spike counts costs one synaptic operation per spike per
  synapse it drives (a SEW-ADD count of 2 counts twice; spikes averaged by a pool count once per spike and
  synapse reached through the pool; borders and strides exact); an input of real values (the
  image of a directly encoded model, MS-ResNet's membrane shortcut convs) costs MACs instead (the MACs column).
  Spikformer's spike-matrix products count Q·(Kᵀ·V): each spike of K and of Q adds a row of D/heads values.
  The firing rates are those of an untrained network on uniform-random images (Bernoulli 0.2 event frames): a
  trained network's rates, and so its SOPs, differ; rerun on trained weights for the figures of a paper table.
- **Mean firing rate**: the mean over the model's neuron layers of each layer's spikes per neuron per step.
- **Samples/s**: inference (forward in inference mode) and one training step (forward, backward, SGD update)
  at the batch shown and the model file's T, one warm-up then ${r.iters} timed passes. Measured on ${r.cpus} CPU cores
  shared with other jobs (see the load average above: at a load of L on 2 cores this process gets roughly
  2/L of them): the absolute figures are low and noisy (±30 % or worse between runs); compare rows of one run.
  ImageNet models run at batch 1 here; they are listed for their structure, not for training on this machine.
  On \`deepspike-native\`, convolutions whose input is binary and sparse take a spike path that skips the GEMM;
  a SEW-ADD block passes on counts 0/1/2 and the convs after it run dense, which is one reason rows with
  the same FLOPs differ (MS-ResNet's convs see binary spikes).

## Notes per architecture

- **SEW-ResNet** (\`"block": "sew"\`, \`"connect": "add" | "and" | "iand"\`): A = SN(BN(conv(SN(BN(conv(x)))))),
  S = x or the spiking downsample SN(BN(conv1x1(x))), out = g(A, S) with ADD = A + S, AND = A·S,
  IAND = (1 − A)·S. IF neurons, plain BN and the arctan surrogate as the paper's ImageNet runs. ADD blocks
  export to NIR (two edges into the next layer); AND and IAND multiply spike trains, which NIR has no node
  for, so \`modelToGraph\` refuses them with that reason.
- **MS-ResNet** (\`"block": "ms"\`): SN → conv → BN twice, and the shortcut adds the real-valued input
  (membrane potentials), with the authors' 1x1 conv + BN projection on that real input; their ResNet-18
  strides stage 1 too (224 → 112 → 56 → 28 → 14 → 7), hence the extra 64 → 64 projection.
- **Spiking VGG-11 / VGG-16**: configurations A and D with 2x2 average pools, built from existing conv/tdBN/LIF/pool layers.
- **Spikformer** (\`spikformerPatchSplit\`, \`spikformerBlock\`): SpikingJelly's LIF(τ = 2, hard reset,
  detached) of the paper in the STBP form (u = 2v: decay 0.5, threshold 2, attention threshold 1, sigmoid
  surrogate α 2), plain BN. The token-wise 1x1 convs have no bias (each feeds a BN, whose mean subtraction
  would cancel it); where a reference implementation gives one a bias, its parameter count is higher by those.
`;
}
