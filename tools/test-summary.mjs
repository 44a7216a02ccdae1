#!/usr/bin/env node
// Adds up the per-package .test-results.json files written by tools/mocha-summary-reporter.cjs and
// prints one closing line for the whole run; exits 1 when a test failed or no test ran.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
const total = { passed: 0, failed: 0, skipped: 0 };
const rows = [];
for (const pattern of workspaces) {
  const base = join(root, pattern.slice(0, -2));
  if (!existsSync(base)) continue;
  for (const entry of readdirSync(base).sort()) {
    const file = join(base, entry, '.test-results.json');
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8'));
    rows.push(`  ${r.package}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
    for (const k of Object.keys(total)) total[k] += r[k];
  }
}
console.log(rows.join('\n'));
console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(total.failed > 0 || total.passed === 0 ? 1 : 0);
