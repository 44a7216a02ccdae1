/**
 * Every user-facing message of @deepspike/neuromorphic, in one place so tests can assert them.
 * Format: `<where>: <what was wrong>, got <actual>; expected <expected>. <how to fix>`.
 */
const list = (xs: readonly string[]): string => (xs.length ? xs.join(', ') : '(none)');

export const messages = {
  danglingEdge(where: string, from: string, to: string, missing: string, known: readonly string[]): string {
    return `${where}: edge ${from} -> ${to} names node "${missing}", got no such node; expected one of ${list(known)}. Fix the edge or add the node "${missing}".`;
  },
  duplicateNode(where: string, name: string): string {
    return `${where}: node "${name}" is defined twice, got 2 nodes with that name; expected unique names. Rename one of them.`;
  },
  shapeMismatch(where: string, node: string, got: readonly number[], expected: readonly number[], from: string): string {
    return `${where}: node "${node}" receives shape [${got.join(',')}] from "${from}", got [${got.join(',')}]; expected [${expected.join(',')}]. Fix the layer sizes so both inputs agree.`;
  },
  badInput(where: string, node: string, what: string, got: string, expected: string): string {
    return `${where}: node "${node}" ${what}, got ${got}; expected ${expected}. Check the layer's parameters.`;
  },
  noInput(where: string): string {
    return `${where}: the graph has no input node, got none; expected at least one. Add an input node.`;
  },
  noOutput(where: string): string {
    return `${where}: the graph has no output node, got none; expected at least one. Add an output node.`;
  },
  unreachable(where: string, node: string): string {
    return `${where}: node "${node}" has no incoming edge, got 0 inputs; expected at least 1. Connect it or remove it.`;
  },
  paramLength(where: string, node: string, param: string, got: number, channels: number, size: number): string {
    return `${where}: node "${node}" parameter ${param} has length ${got}, got ${got}; expected 1, ${channels} (per channel) or ${size} (per neuron). Fix the parameter.`;
  },
  nirUnsupported(file: string, node: string, type: string, supported: readonly string[]): string {
    return `importNIR ${file}: node "${node}" has type ${type}, got an unsupported NIR type; expected one of ${list(supported)}. The node cannot be dropped silently: convert it in the source framework or extend the importer.`;
  },
  nirDangling(file: string, graph: string, from: string, to: string, missing: string, known: readonly string[]): string {
    return `importNIR ${file}: edge (${from} -> ${to}) in graph "${graph}" names endpoint "${missing}", got no such node; expected one of ${list(known)}. The file is broken (dangling edge); fix the edge or the node name.`;
  },
  nirLayout(file: string, what: string, got: string, expected: string): string {
    return `importNIR ${file}: ${what}, got ${got}; expected ${expected}. The file is not a NIR graph as written by nir.write().`;
  },
  nirParam(file: string, node: string, param: string, got: string, expected: string): string {
    return `importNIR ${file}: node "${node}" parameter ${param}, got ${got}; expected ${expected}. Fix the file or convert it in the source framework.`;
  },
  nirSubgraphPort(file: string, node: string, kind: string, count: number): string {
    return `importNIR ${file}: subgraph "${node}" has ${count} ${kind} nodes, got ${count}; expected exactly 1 for an edge to the whole subgraph. Address an inner node with "${node}.<name>".`;
  },
  netxUnsupported(node: string, what: string, fix: string): string {
    return `exportNetx: node "${node}" ${what}, got a graph a Lava-DL netx file cannot hold; expected a chain input -> (conv|dense -> CUBA neurons)... with foldable pools and flattens. To fix: ${fix}.`;
  },
  speckUnsupported(node: string, what: string, fix: string): string {
    return `emitSpeck: node "${node}" ${what}, got a graph a Speck/DYNAP-CNN configuration cannot hold; expected a chain input -> (conv|linear -> IF neurons [-> square sum pool])... of at most 9 cores. To fix: ${fix}.`;
  },
  exportUnsupported(node: string, what: string): string {
    return `exportNIR: node "${node}" ${what}, got a node NIR cannot express; expected STBP LIF/IF populations, conv, linear, sum/avg pool, flatten. Fold or remove it before exporting.`;
  },
  badHardwareNeuron(node: string, cls: string, field: string, got: string, expected: string): string {
    return `modelToGraph: neuron "${node}" (${cls}) describes itself for hardware with ${field} ${got}, got ${got}; expected ${expected}. Fix the hardwareNeuron() method of ${cls} or the layer's options.`;
  },
  adaptationUnsupported(where: string, node: string, fix: string): string {
    return `${where}: node "${node}" is a population with spike-triggered threshold adaptation, got adaptation {beta, rho}; expected a population without it. ${fix}`;
  },
  badDt(where: string, dt: unknown): string {
    return `${where}: dt must be a positive number of seconds, got ${String(dt)}; expected e.g. 0.001. Pass {dt: 0.001}.`;
  },
  badBits(where: string, bits: unknown, min: number, max: number): string {
    return `${where}: bit width ${String(bits)} is out of range, got ${String(bits)}; expected an integer in [${min}, ${max}]. Pick a width the chip supports.`;
  },
  badOption(where: string, option: string, got: unknown, expected: string): string {
    return `${where}: ${option} got ${JSON.stringify(got)}; expected ${expected}.`;
  },
  thresholdFoldNeedsPositive(layer: string, channel: number, g: number): string {
    return `fold: layer "${layer}" channel ${channel} has tdBN gain g = ${g}, got g <= 0; expected g > 0 to fold into thresholds (Vth/g). Use fold mode "weights" (or "auto").`;
  },
  thresholdFoldFanIn(layer: string, inputs: number): string {
    return `fold: population "${layer}" sums ${inputs} inputs, got ${inputs} branches with their own tdBN; expected 1 to fold into thresholds. Use fold mode "weights" (or "auto").`;
  },
  unknownTarget(name: string, known: readonly string[]): string {
    return `target: unknown chip "${name}", got "${name}"; expected one of ${list(known)}. Register a target plugin or pick a listed chip.`;
  },
  simInput(where: string, got: number, expected: number): string {
    return `${where}: input has ${got} values per step, got ${got}; expected ${expected} (the input node's size). Reshape the input.`;
  },
  cycle(where: string, nodes: readonly string[]): string {
    return `${where}: the graph has a cycle through ${list(nodes)}, got a recurrent graph; expected a feed-forward graph here. Use the float simulator, which delays back edges by one step.`;
  },
};
