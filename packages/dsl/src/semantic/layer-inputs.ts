import type { Layer } from '../generated/model-spec.js';
import { didYouMean } from '../did-you-mean.js';
import { messages } from '../messages.js';
import type { SampleShape, ShapeIssue } from './infer-shapes.js';

/** The input a layer receives in a graph-shaped network, or an issue at `where/inputs/<j>`. */
export function graphInput(where: string, layer: Layer, previous: SampleShape, outputs: ReadonlyMap<string, SampleShape>, later: ReadonlySet<string>, issues: ShapeIssue[]): SampleShape | null {
  const names = (layer as { inputs?: readonly string[] }).inputs;
  if (names === undefined) return previous;
  const shapes: SampleShape[] = [];
  const known = [...outputs.keys()];
  let ok = true;
  names.forEach((n, j) => {
    const shape = outputs.get(n) ?? undefined;
    if (shape !== undefined) shapes.push(shape);
    else {
      ok = false;
      const message = later.has(n) ? messages.laterInput(n) : messages.unknownInput(n, known, didYouMean(n, known));
      issues.push({ path: `${where}/inputs/${j}`, message });
    }
  });
  if (!ok) return null;
  const first = shapes[0] as SampleShape;
  if (shapes.some((s) => s.length !== first.length || s.some((d, i) => d !== first[i]))) {
    issues.push({ path: `${where}/inputs`, message: messages.inputShapesDiffer(names, shapes) });
    return null;
  }
  return first;
}

/** The explicit names of the top-level layers (the ones `inputs` may name). */
export function topLevelNames(layers: readonly Layer[]): string[] {
  return layers.flatMap((l) => (l.type !== 'repeat' && l.name !== undefined ? [l.name] : []));
}
