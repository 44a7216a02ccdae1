// Mocha reporter: the spec reporter's output, then one closing line per package
// ("<package>: N passed, N failed, N skipped") and the counts in .test-results.json, which
// tools/test-summary.mjs adds up across packages after `nx run-many -t test`.
'use strict';
const { writeFileSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const Mocha = require('mocha');

class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    const counts = { passed: 0, failed: 0, skipped: 0 };
    runner.on(Mocha.Runner.constants.EVENT_TEST_PASS, () => counts.passed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_FAIL, () => counts.failed++);
    runner.on(Mocha.Runner.constants.EVENT_TEST_PENDING, () => counts.skipped++);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      let name = 'tests';
      try {
        name = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')).name;
      } catch {}
      writeFileSync(join(process.cwd(), '.test-results.json'), `${JSON.stringify({ package: name, ...counts })}\n`);
      console.log(`${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    });
  }
}
module.exports = SummaryReporter;
