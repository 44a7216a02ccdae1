import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// tools/check-testdata.mjs keeps testdata/{golden,nir,reference} equal to the workspace's shared/.
// Each case runs it on a temporary repository + shared/ pair made from the real copies.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TOOL = join(ROOT, 'tools', 'check-testdata.mjs');
const FOLDERS = ['golden', 'nir', 'reference'];

function run(...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [TOOL, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('tools/check-testdata.mjs', () => {
  let work: string;
  let repo: string;
  let shared: string;
  let files: number;

  beforeEach(() => {
    work = mkdtempSync(join(tmpdir(), 'deepspike-check-testdata-'));
    repo = join(work, 'repo');
    shared = join(work, 'shared');
    for (const f of FOLDERS) {
      cpSync(join(ROOT, 'testdata', f), join(repo, 'testdata', f), { recursive: true });
      cpSync(join(ROOT, 'testdata', f), join(shared, f), { recursive: true });
    }
    files = Number(spawnSync('find', [shared, '-type', 'f'], { encoding: 'utf8' }).stdout.trim().split('\n').length);
  });
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it('passes when every copy matches shared/, counting the files', () => {
    const r = run('--root', repo, '--shared', shared);
    expect([r.code, r.out.trim()]).to.deep.equal([0, `check-testdata: testdata/{golden,nir,reference} match ${shared} (${files} files)`]);
    expect(files).to.be.greaterThan(20);
  });

  it('fails on one changed byte, naming the file and the offset', () => {
    const file = join(repo, 'testdata', 'golden', 'lif_stbp.json');
    const bytes = readFileSync(file);
    bytes[100] = bytes[100]! ^ 1;
    writeFileSync(file, bytes);
    const r = run('--root', repo, '--shared', shared);
    expect(r.code).to.equal(1);
    expect(r.err).to.contain(`  different: golden/lif_stbp.json (first difference at byte 100 (shared ${bytes.length} bytes, testdata ${bytes.length} bytes))`);
    expect(r.err).to.contain('got 1 problem(s), expected none. Run `node tools/check-testdata.mjs --update`');
  });

  it('lists missing and extra files, then --update makes testdata/ equal to shared/ again', () => {
    unlinkSync(join(repo, 'testdata', 'nir', 'cnn_sinabs.nir'));
    writeFileSync(join(repo, 'testdata', 'reference', 'stray.py'), 'print(1)\n');
    const changed = join(repo, 'testdata', 'golden', 'tdbn.json');
    writeFileSync(changed, readFileSync(changed, 'utf8').slice(0, -10));
    const r = run('--root', repo, '--shared', shared);
    expect(r.code).to.equal(1);
    expect(r.err.split('\n').filter((l) => l.startsWith('  ')).sort()).to.deep.equal([
      '  different: golden/tdbn.json (first difference at byte ' + (readFileSync(changed).length) + ` (shared ${readFileSync(join(shared, 'golden', 'tdbn.json')).length} bytes, testdata ${readFileSync(changed).length} bytes))`,
      '  extra: reference/stray.py (in testdata/, not in shared/)',
      '  missing: nir/cnn_sinabs.nir (in shared/, not in testdata/)',
    ]);

    const u = run('--update', '--root', repo, '--shared', shared);
    expect(u.code, u.err).to.equal(0);
    expect(u.out).to.contain('check-testdata: refreshed 3 file(s)');
    expect(readFileSync(changed).equals(readFileSync(join(shared, 'golden', 'tdbn.json')))).to.equal(true);
    expect(readFileSync(join(repo, 'testdata', 'nir', 'cnn_sinabs.nir')).equals(readFileSync(join(shared, 'nir', 'cnn_sinabs.nir')))).to.equal(true);
    expect(run('--root', repo, '--shared', shared).code).to.equal(0);
  });

  it('fails when shared/ lacks one of the folders', () => {
    rmSync(join(shared, 'reference'), { recursive: true });
    const r = run('--root', repo, '--shared', shared);
    expect(r.code).to.equal(1);
    expect(r.err).to.contain(`  missing: reference/ (${join(shared, 'reference')} does not exist)`);
  });

  it('says it skipped, and why, when there is no shared/ folder; --update then fails', () => {
    rmSync(shared, { recursive: true });
    const r = run('--root', repo);
    expect(r.code).to.equal(0);
    expect(r.out).to.contain(`check-testdata: skipped: ${join(work, 'shared')} does not exist`);
    const u = run('--update', '--root', repo);
    expect(u.code).to.equal(1);
    expect(u.err).to.contain('check-testdata: cannot --update');
  });
});
