import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelSpec } from '@deepspike/dsl';

/** Golden scenario files: `test/scenarios/*.md`, each a DSL input (json block) and the expected TypeScript (ts block). */
export const SCENARIO_DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));

/** One scenario. */
export interface Scenario {
  readonly name: string;
  readonly file: string;
  readonly spec: ModelSpec;
  /** The expected TypeScript, or null when the block is empty. */
  readonly expected: string | null;
}

const JSON_BLOCK = /```json\n([\s\S]*?)```/;
const TS_BLOCK = /(## Expected TypeScript\n\n```ts\n)([\s\S]*?)(```)/;

/** Reads every scenario, sorted by file name. */
export function readScenarios(): Scenario[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => {
      const file = join(SCENARIO_DIR, f);
      const text = readFileSync(file, 'utf8');
      const json = JSON_BLOCK.exec(text)?.[1];
      const ts = TS_BLOCK.exec(text);
      if (json === undefined || ts === null) throw new Error(`${file}: expected a \`\`\`json block and a "## Expected TypeScript" \`\`\`ts block`);
      return { name: f.replace(/\.md$/, ''), file, spec: JSON.parse(json) as ModelSpec, expected: ts[2] === '' ? null : (ts[2] as string) };
    });
}

/** Replaces a scenario's expected TypeScript (UPDATE_GOLDEN=1). */
export function writeExpected(s: Scenario, content: string): void {
  const text = readFileSync(s.file, 'utf8');
  writeFileSync(s.file, text.replace(TS_BLOCK, (_m, open: string, _old: string, close: string) => `${open}${content}${close}`));
}
