import { expect } from 'chai';
import * as api from '@deepspike/__NAME__';

describe('@deepspike/__NAME__', () => {
  it('loads its public API', () => {
    expect(api).to.be.an('object');
  });
});
