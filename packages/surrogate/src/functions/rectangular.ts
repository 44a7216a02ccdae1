import type { Surrogate } from '@deepspike/core';
import { InvalidArgumentError } from '@deepspike/core';
import { surrogateMessages as messages } from '../messages.js';
import { rect } from './rect.js';

/**
 * The paper's spelling of {@link rect}: `do/du = (1/a) * 1(|u - Vth| < a/2)`.
 * @param params.width the window width `a` (default 1, > 0)
 * @returns the same surrogate as `rect({alpha: 1/a})` (name `rect`, params `{alpha}`)
 */
export function rectangular(params: { width?: number } = {}): Surrogate {
  for (const key of Object.keys(params)) {
    if (key !== 'width') throw new InvalidArgumentError(messages.unknownParam('rectangular', key, ['width']));
  }
  const a = params.width ?? 1;
  if (typeof a !== 'number' || !Number.isFinite(a) || a <= 0) {
    throw new InvalidArgumentError(messages.badParam('rectangular', 'width', a, 'a finite number > 0', '{width: 1}'));
  }
  return rect({ alpha: 1 / a });
}
