import { expect } from 'chai';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRecordPage, renderRecordPages } from '@deepspike/bench';

const CLAIMS = fileURLToPath(new URL('../../../docs/paper-claims/', import.meta.url));

describe('bench html: the pages of docs/paper-claims from their JSON records', function () {
  this.timeout(120_000);
  const dir = mkdtempSync(join(tmpdir(), 'deepspike-rerender-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const f of ['depth-bntt.json', 'depth-bntt.info.json', 'timesteps-mnist-tdbn.json', 'accuracy-mnist-tdbn.json']) copyFileSync(join(CLAIMS, f), join(dir, f));

  it('renders a depth page and a T-study page from a folder, passing over accuracy records and .info.json', async () => {
    const pages = await renderRecordPages([dir]);
    expect(pages).to.deep.equal([join(dir, 'depth-bntt.html'), join(dir, 'timesteps-mnist-tdbn.html')]);
    const depth = readFileSync(join(dir, 'depth-bntt.html'), 'utf8');
    const info = JSON.parse(readFileSync(join(dir, 'depth-bntt.info.json'), 'utf8')) as { date: string };
    expect(depth).to.contain(info.date).and.contain('<svg').and.contain('<td>bntt</td>');
    const ts = readFileSync(join(dir, 'timesteps-mnist-tdbn.html'), 'utf8');
    const rows = JSON.parse(readFileSync(join(dir, 'timesteps-mnist-tdbn.json'), 'utf8')) as { accuracy: number; date: string }[];
    // one row per T with its accuracy, and the newest record's date in the header
    for (const r of rows) expect(ts).to.contain(`${(r.accuracy * 100).toFixed(2)} %`);
    expect(ts).to.contain(rows.map((r) => r.date).sort().at(-1)!);
    // deterministic: rendering again gives the same bytes
    await renderRecordPages([dir]);
    expect(readFileSync(join(dir, 'timesteps-mnist-tdbn.html'), 'utf8')).to.equal(ts);
  });

  it('says what is wrong with a file that has no page or lacks its run information', async () => {
    expect(await renderRecordPage(join(dir, 'accuracy-mnist-tdbn.json'))).to.equal(null);
    let err: unknown;
    try {
      await renderRecordPages([join(dir, 'accuracy-mnist-tdbn.json')]);
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).to.match(/^deepspike bench html: .*accuracy-mnist-tdbn\.json has no page, got records that are neither a depth ablation nor a T study/);
    copyFileSync(join(dir, 'depth-bntt.json'), join(dir, 'lonely.json'));
    err = undefined;
    try {
      await renderRecordPage(join(dir, 'lonely.json'));
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).to.contain('lonely.json is a depth ablation without its run information, got no lonely.info.json beside it');
    writeFileSync(join(dir, 'broken.json'), '[{');
    err = undefined;
    try {
      await renderRecordPage(join(dir, 'broken.json'));
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).to.contain('broken.json is not readable JSON');
  });
});
