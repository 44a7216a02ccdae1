import { expect } from 'chai';
import { capture } from './capture.js';

describe('deepspike bench', () => {
  it('refuses an unknown workload with exit code 2', async () => {
    const r = await capture(['bench', 'training', '--workload', 'imagenet']);
    expect(r.code).to.equal(2);
    expect(r.err).to.equal('deepspike bench: --workload got "imagenet"; expected one of mnist, cifar-resnet.');
  });

  it('refuses --steps 0 and an unknown backend with exit code 2', async () => {
    const a = await capture(['bench', 'training', '--workload', 'mnist', '--steps', '0']);
    expect(a.code).to.equal(2);
    expect(a.err).to.equal('deepspike bench: --steps must be an integer >= 1, got "0"; expected e.g. 20.');
    const b = await capture(['bench', 'compare', '--backends', 'gpu']);
    expect(b.code).to.equal(2);
    expect(b.err).to.contain('--backend got "gpu"');
  });

  it('lists training and compare under bench --help', async () => {
    const r = await capture(['bench', '--help']);
    expect(r.code).to.equal(0);
  });
});
