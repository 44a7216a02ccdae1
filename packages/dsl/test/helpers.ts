import { fileURLToPath } from 'node:url';

/** Absolute path of a test fixture, e.g. `fixture('broken/empty.snn.json')`. */
export function fixture(name: string): string {
  return fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
}
