import { a } from 'static-pkg';
import type { B } from '@scope/types-only/sub';
export { c } from 're-exported';
import { d } from './local.js';
import { readFileSync } from 'node:fs';
export async function load(name: string): Promise<unknown> {
  await import('dynamic-pkg');
  await import('hidden-pkg' as string);
  require('required-pkg');
  require.resolve('resolved-pkg/package.json');
  import.meta.resolve('meta-resolved');
  await import(name);
  // manifest-check: a user-named module, found at run time
  await import(name);
  return [a, d, readFileSync] as unknown as B;
}
