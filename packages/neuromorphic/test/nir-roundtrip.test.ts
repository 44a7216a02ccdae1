import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportNIR, importNIR, readNirFile, type NirRawNode } from '../src/index.js';
import { NIR_FIXTURES } from '@deepspike/core/testing';
import { checkerPython, NIR_DIR, runChecker } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ds-nir-rt-'));

/**
 * Every node's type and parameters (values to 12 significant digits, shapes), and the sorted edges:
 * what a NIR file says. (r = tau/dt recomputed from a float64 tau can move in the 16th digit.)
 */
function content(n: NirRawNode): unknown {
  return {
    type: n.type,
    params: Object.fromEntries([...n.params].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, typeof v === 'string' ? v : { shape: v.shape, data: Array.from(v.data, (x) => Number(x.toPrecision(12))) }])),
    edges: n.edges.map((e) => e.join('->')).sort(),
    children: Object.fromEntries([...n.children].sort(([a], [b]) => a.localeCompare(b)).map(([k, c]) => [k, content(c)])),
  };
}

describe('NIR export -> import -> export of every real and derived file', function () {
  this.timeout(120_000);
  const { python, reason } = checkerPython();

  for (const file of NIR_FIXTURES) {
    it(`${file}: the second export says exactly what the first does, and nir_check.py accepts it`, async function () {
      const first = await importNIR(join(NIR_DIR, file));
      const a = join(tmp, `${file.replace(/\W/g, '_')}.a.nir`);
      await exportNIR(first.graph, a, { dt: first.dt });
      const second = await importNIR(a);
      expect(second.dt).to.equal(first.dt);
      const b = join(tmp, `${file.replace(/\W/g, '_')}.b.nir`);
      await exportNIR(second.graph, b, { dt: second.dt });
      const [ra, rb] = [await readNirFile(a), await readNirFile(b)];
      expect(content(rb.top)).to.deep.equal(content(ra.top));
      expect(second.graph.nodes.map((n) => [n.name, n.kind])).to.deep.equal(first.graph.nodes.map((n) => [n.name, n.kind]));
      if (!python) {
        this.skip();
        return;
      }
      const out = runChecker(python, [a, '--strict']);
      expect(out, reason).to.match(/^OK/m);
    });
  }
});
