/** Members of a model class (and the DSL's `input`) a layer name must not take. */
const RESERVED = new Set(['input', 'output', 'encoder', 'readout', 'spec', 'plan', 'layers', 'steps', 'name', 'timesteps', 'forward', 'dispose', 'constructor', 'children', 'params', 'inputShape', 'outputShape', 'neuronLayers', 'training']);

/**
 * DSL layer names (`^[a-z][A-Za-z0-9]*$`, unique) for NIR node names, which are arbitrary strings:
 * the parts between non-alphanumerics are camel-cased (`lif1.lif` -> `lif1Lif`, `0_LinearTorch` ->
 * `n0LinearTorch`), a name not starting with a letter gets `n`, a reserved one `n` + Pascal case, and
 * clashes a number.
 */
export function specLayerNames(nodes: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const node of nodes) {
    const parts = node.split(/[^A-Za-z0-9]+/).filter((p) => p.length > 0);
    let name = parts.map((p, i) => (i === 0 ? p : p[0]?.toUpperCase() + p.slice(1))).join('') || 'layer';
    name = name[0]?.toLowerCase() + name.slice(1);
    if (!/^[a-z]/.test(name)) name = `n${name}`;
    if (RESERVED.has(name)) name = `n${name[0]?.toUpperCase()}${name.slice(1)}`;
    let unique = name;
    for (let k = 2; used.has(unique); k++) unique = `${name}${k}`;
    used.add(unique);
    out.set(node, unique);
  }
  return out;
}
