import { DeepSpikeError } from '../errors.js';
import { spikingMessages } from '../messages.js';
import { registry } from '../registry/registry.js';
import type { SurrogateAttr } from './names.js';

/**
 * The JS derivative behind a `surrogate` kernel attribute: the object's own `derivative` when it is a
 * full Surrogate, else the registered family `name` built from `params`.
 * @throws DeepSpikeError when neither is available
 */
export function resolveSurrogateAttr(attr: SurrogateAttr): (x: number) => number {
  if (typeof attr.derivative === 'function') return attr.derivative.bind(attr);
  if (!registry.has('surrogate', attr.name)) throw new DeepSpikeError(spikingMessages.kernelSurrogate(attr.name));
  const s = registry.get('surrogate', attr.name).create(attr.params);
  return (x) => s.derivative(x);
}
