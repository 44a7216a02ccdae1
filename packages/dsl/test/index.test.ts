import { expect } from 'chai';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { schemaPath } from '@deepspike/dsl';
import { fixture } from './helpers.js';

describe('@deepspike/dsl schemas for editors', () => {
  it('serves the model schema at @deepspike/dsl/schemas/model.schema.json', () => {
    const resolved = createRequire(import.meta.url).resolve('@deepspike/dsl/schemas/model.schema.json');
    expect(resolved).to.equal(schemaPath('model.schema.json'));
    const schema = JSON.parse(readFileSync(resolved, 'utf8')) as { $id: string };
    expect(schema.$id).to.equal('https://deepspike.dev/schemas/model.schema.json');
  });

  it('ships the schema copies byte for byte equal to the repository schemas/', () => {
    for (const f of ['model', 'layers', 'neuron', 'training', 'hardware']) {
      const repo = fileURLToPath(new URL(`../../../schemas/${f}.schema.json`, import.meta.url));
      expect(readFileSync(schemaPath(`${f}.schema.json`), 'utf8'), f).to.equal(readFileSync(repo, 'utf8'));
    }
  });

  it('lets model files point "$schema" at the schema file (the valid fixtures do)', () => {
    for (const name of ['mnist-conv', 'resnet19-cifar10']) {
      const file = fixture(`valid/${name}.snn.json`);
      const ref = (JSON.parse(readFileSync(file, 'utf8')) as { $schema: string }).$schema;
      const target = resolve(dirname(file), ref);
      expect(existsSync(target), target).to.equal(true);
      expect((JSON.parse(readFileSync(target, 'utf8')) as { title: string }).title).to.equal('ModelSpec');
    }
  });

  it('ships a self-contained model.bundle.schema.json that judges files like the split schemas', () => {
    const bundle = JSON.parse(readFileSync(schemaPath('model.bundle.schema.json'), 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(bundle)).to.not.match(/"\$ref":"[a-z-]+\.schema\.json/);
    const validate = new Ajv2020({ discriminator: true, allowUnionTypes: true, strictRequired: false }).compile(bundle);
    for (const name of ['valid/mnist-conv', 'valid/resnet19-cifar10', 'valid/resnet50-bottleneck']) {
      expect(validate(JSON.parse(readFileSync(fixture(`${name}.snn.json`), 'utf8'))), name).to.equal(true);
    }
    for (const name of ['broken/wrong-type', 'broken/unknown-layer-type', 'broken/negative-kernel', 'broken/unknown-property']) {
      expect(validate(JSON.parse(readFileSync(fixture(`${name}.snn.json`), 'utf8'))), name).to.equal(false);
    }
  });
});
