import { expect } from 'chai';
import * as api from '@deepspike/codegen';

describe('@deepspike/codegen', () => {
  it('loads its public API', () => {
    expect(api).to.be.an('object');
  });
});
