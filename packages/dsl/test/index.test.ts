import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

describe('@deepspike/dsl schemas', () => {
  it('serves the model schema from the package with its $id', () => {
    const file = fileURLToPath(new URL('../schemas/model.schema.json', import.meta.url));
    const schema = JSON.parse(readFileSync(file, 'utf8')) as { $id: string };
    expect(schema.$id).to.equal('https://deepspike.dev/schemas/model.schema.json');
  });
});
