import { onceShape, seqShape } from './describe.js';
import { stepCall, stepField, stepInputs, stepOutput, stepRunsOnce, type ForwardStep } from './forward-steps.js';

/** The local variable holding a field's output in a generated graph forward (`input` for the encoded input). */
const out = (field: string): string => (field === 'input' ? 'input' : `${field}Out`);

/**
 * The forward body of a graph-shaped model: one `const <field>Out` per step, a step's named inputs
 * summed with `addN` (tf.js through core; the previous step's output when it names none), ending in `const h` for the
 * readout. Runs the same ops in the same order as `BuiltModel.forward`.
 */
export function graphForwardLines(steps: readonly ForwardStep[]): string[] {
  const lines: string[] = [];
  let previous = 'input';
  for (const [i, st] of steps.entries()) {
    const inputs = stepInputs(st);
    const arg = inputs === undefined ? out(previous) : inputs.length === 1 ? out(inputs[0] as string) : `addN([${inputs.map(out).join(', ')}])`;
    const field = stepField(st);
    const value = stepCall(st, arg);
    const shape = stepOutput(st).outShape;
    lines.push(`  const ${out(field)} = ${value}; // ${(stepRunsOnce(steps, i) ? onceShape : seqShape)(shape)}${inputs && inputs.length > 1 ? ` (sum of ${inputs.join(' + ')})` : ''}`);
    previous = field;
  }
  lines.push(`  const h = ${out(previous)};`);
  return lines;
}
