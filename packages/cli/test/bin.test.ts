// The built `deepspike` binary as a user runs it (a child process, plain node, dist/ code):
// --version, short usage after a usage error, file errors before any backend starts, no tf.js
// banner, ETA in plain log lines and the effective settings in report.html.
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../', import.meta.url));
const BIN = join(CLI, 'bin/deepspike.js');
const FIXTURES = join(CLI, 'test/fixtures');
const MODEL = join(FIXTURES, 'tiny-cli.snn.json');
const PLUGIN = join(FIXTURES, 'tiny-dataset-plugin.mjs');
const VERSION = (JSON.parse(readFileSync(join(CLI, 'package.json'), 'utf8')) as { version: string }).version;
const BANNER = /looks like you are running TensorFlow\.js in Node\.js/;

function deepspike(args: string[], cwd = CLI): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', DEEPSPIKE_BACKEND: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the deepspike binary', function () {
  this.timeout(120_000);
  before(() => {
    if (!existsSync(join(CLI, 'dist/bin.js'))) throw new Error(`${join(CLI, 'dist/bin.js')} does not exist; run npm run build first`);
  });

  it('--version and -V print the package version', () => {
    for (const flag of ['--version', '-V']) {
      const r = deepspike([flag]);
      expect(r, flag).to.deep.equal({ code: 0, out: `${VERSION}\n`, err: '' });
    }
  });

  it('answers a bad flag with the error and a short usage, not the whole help', () => {
    const r = deepspike(['train', MODEL, '--bogus']);
    expect(r.code).to.equal(2);
    expect(r.out).to.equal('');
    expect(r.err).to.equal("error: unknown option '--bogus'\nusage: deepspike train [options] <model>\nsee `deepspike train --help` for every option\n");
  });

  it('answers an unknown command with a suggestion, the command names and where the help is', () => {
    const r = deepspike(['trian']);
    expect(r.code).to.equal(2);
    const lines = r.err.trimEnd().split('\n');
    expect(lines).to.have.length(5);
    expect(lines.slice(0, 3)).to.deep.equal(["error: unknown command 'trian'", '(Did you mean train?)', 'usage: deepspike [options] [command]']);
    expect(lines[3]).to.match(/^commands: backend, validate, generate, train, evaluate, .*plugin$/);
    expect(lines[4]).to.equal('see `deepspike --help` for what each command does, `deepspike <command> --help` for its options');
  });

  it('reports a missing model file, checkpoint or NIR file before any backend starts', function () {
    // Eight process starts: a limit for a loaded machine (npm test runs packages in parallel), not a speed target.
    this.timeout(600_000);
    const dir = mkdtempSync(join(tmpdir(), 'deepspike-bin-'));
    try {
      const cases: [string[], string][] = [
        [['train', 'missing.snn.json'], `deepspike train: <model> got "missing.snn.json" (${join(dir, 'missing.snn.json')}), which does not exist; expected a model file (*.snn.json). Check the path (it is relative to the working directory).`],
        [['train', dir], `deepspike train: <model> got "${dir}", which is a directory; expected a model file (*.snn.json). Name the file inside it.`],
        [['train', MODEL, '--resume', 'no-run'], `deepspike train: --resume got "no-run" (${join(dir, 'no-run')}), which does not exist; expected a run directory or its checkpoint/ directory. Check the path (it is relative to the working directory).`],
        [['evaluate', MODEL, '--checkpoint', MODEL], `deepspike evaluate: --checkpoint got "${MODEL}", which is a file, not a directory; expected a run directory, its checkpoint/ directory or one step-* checkpoint. Name the folder that holds it.`],
        [['map', MODEL, '--checkpoint', 'gone'], `deepspike map: --checkpoint got "gone" (${join(dir, 'gone')}), which does not exist; expected a run directory, its checkpoint/ directory or one step-* checkpoint. Check the path (it is relative to the working directory).`],
        [['export-nir', 'm.snn.json', '--checkpoint', dir, '--out', 'x.nir'], `deepspike export-nir: <model> got "m.snn.json" (${join(dir, 'm.snn.json')}), which does not exist; expected a model file (*.snn.json). Check the path (it is relative to the working directory).`],
        [['import-nir', 'g.nir', '--out', 'o'], `deepspike import-nir: <file> got "g.nir" (${join(dir, 'g.nir')}), which does not exist; expected a NIR graph (.nir, HDF5). Check the path (it is relative to the working directory).`],
        [['bench', 'accuracy', '--model', 'none'], `deepspike bench accuracy: --model got "none" (${join(dir, 'none')}), which does not exist; expected a model file (*.snn.json) or a folder holding one. Check the path (it is relative to the working directory).`],
      ];
      for (const [args, message] of cases) {
        const r = deepspike(args, dir);
        expect(r, args.join(' ')).to.deep.equal({ code: 1, out: '', err: `${message}\n` });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('trains with no tf.js banner, ETA in plain log lines, and the effective settings in report.html', () => {
    const out = mkdtempSync(join(tmpdir(), 'deepspike-bin-train-'));
    try {
      // The model file says epochs 2; the flag says 1.
      expect((JSON.parse(readFileSync(MODEL, 'utf8')) as { training: { epochs: number } }).training.epochs).to.equal(2);
      const r = deepspike(['train', MODEL, '--plugin', PLUGIN, '--backend', 'cpu', '--epochs', '1', '--max-steps', '3', '--log-every', '1', '--no-progress', '--out', out]);
      expect(r.code, r.err).to.equal(0);
      expect(r.out + r.err).to.not.match(BANNER);
      expect(r.out.split('\n')[0]).to.equal('deepspike: backend cpu (forced by initBackend argument)');
      const steps = r.out.split('\n').filter((l) => /^epoch 1\/1 step \d\/3 /.test(l));
      expect(steps).to.have.length(3);
      for (const l of steps) expect(l).to.match(/ samples\/s ETA (\d+\.\ds|\d+m \d\ds)$/);
      expect(steps[2]).to.match(/ETA 0\.0s$/);
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html).to.contain('<tr><td>epochs</td><td>1</td><td>flag / train() option (--epochs), model file: 2</td></tr>');
      expect(html).to.contain('<tr><td>maxSteps</td><td>3</td><td>flag / train() option (--max-steps)</td></tr>');
      expect(html).to.contain('<tr><td>batchSize</td><td>8</td><td>model file</td></tr>');
      const spec = /<summary>Model spec[^<]*<\/summary><pre>([^<]*)<\/pre>/.exec(html);
      expect(spec, 'the spec block').to.not.equal(null);
      const shown = JSON.parse((spec as RegExpExecArray)[1]!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&')) as { training: { epochs: number; batchSize: number } };
      expect(shown.training).to.deep.include({ epochs: 1, batchSize: 8 });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('prints no tf.js banner on the wasm and deepspike-native backends either', () => {
    for (const backend of ['wasm', 'deepspike-native']) {
      const r = deepspike(['backend', '--backend', backend]);
      if (r.code !== 0 && backend === 'deepspike-native') continue; // no compiled addon here: the line says why
      expect(r.code, r.err).to.equal(0);
      expect(r.out + r.err, backend).to.not.match(BANNER);
    }
  });
});
