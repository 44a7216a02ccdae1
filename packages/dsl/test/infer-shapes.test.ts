import { expect } from 'chai';
import { DslError, dslMessages as m, inferShapes, validateModelFile, type Layer, type ModelSpec } from '@deepspike/dsl';
import { fixture } from './helpers.js';

function net(shape: number[], layers: Layer[]): ModelSpec {
  return { name: 'net', input: { shape: shape as [number, number, number] }, timesteps: 1, layers: layers as [Layer, ...Layer[]] };
}

function outputs(spec: ModelSpec): number[][] {
  return inferShapes(spec).layers.map((l) => [...l.output]);
}

describe('inferShapes', () => {
  it('follows the small MNIST conv net layer by layer', async () => {
    const spec = await validateModelFile(fixture('valid/mnist-conv.snn.json'));
    const report = inferShapes(spec);
    // 28x28x1 -conv3 same-> 28x28x16 -pool2-> 14x14x16 -conv-> 14x14x32 -pool2-> 7x7x32 -flatten-> 1568
    expect(report.layers.map((l) => [l.type, ...l.output])).to.deep.equal([
      ['conv2d', 28, 28, 16],
      ['norm', 28, 28, 16],
      ['neuron', 28, 28, 16],
      ['pool', 14, 14, 16],
      ['conv2d', 14, 14, 32],
      ['norm', 14, 14, 32],
      ['neuron', 14, 14, 32],
      ['pool', 7, 7, 32],
      ['flatten', 7 * 7 * 32],
      ['linear', 128],
      ['neuron', 128],
      ['dropout', 128],
      ['linear', 10],
    ]);
    expect(report.input).to.deep.equal([28, 28, 1]);
    expect(report.output).to.deep.equal([10]);
    expect(report.layers[0]).to.deep.include({ path: '/layers/0', name: 'conv1', copies: [], input: [28, 28, 1] });
  });

  it('follows ResNet-19 through repeats, strided projections and the global pool', async () => {
    const spec = await validateModelFile(fixture('valid/resnet19-cifar10.snn.json'));
    const report = inferShapes(spec);
    expect(report.layers.map((l) => [l.path, l.copies.join('.'), ...l.output])).to.deep.equal([
      ['/layers/0', '', 32, 32, 128],
      ['/layers/1', '', 32, 32, 128],
      ['/layers/2', '', 32, 32, 128],
      ['/layers/3/layers/0', '0', 32, 32, 128],
      ['/layers/3/layers/0', '1', 32, 32, 128],
      ['/layers/3/layers/0', '2', 32, 32, 128],
      ['/layers/4', '', 16, 16, 256],
      ['/layers/5/layers/0', '0', 16, 16, 256],
      ['/layers/5/layers/0', '1', 16, 16, 256],
      ['/layers/6', '', 8, 8, 512],
      ['/layers/7', '', 8, 8, 512],
      ['/layers/8', '', 512],
      ['/layers/9', '', 256],
      ['/layers/10', '', 256],
      ['/layers/11', '', 10],
    ]);
  });

  it('computes bottleneck blocks (filters*expansion) and a strided 7x7 stem with padding 3', async () => {
    const spec = await validateModelFile(fixture('valid/resnet50-bottleneck.snn.json'));
    // (64 + 6 - 7) div 2 + 1 = 32; max pool "same" stride 2: ceil(32/2) = 16; 16*4 = 64; stride 2: 8, 32*4 = 128
    expect(outputs(spec)).to.deep.equal([[32, 32, 16], [32, 32, 16], [32, 32, 16], [16, 16, 16], [16, 16, 64], [16, 16, 64], [8, 8, 128], [128], [100]]);
  });

  it('uses the TensorFlow size formulas for "same", "valid" and explicit padding', () => {
    const conv = (kernel: number, stride: number, padding: string | number): Layer => ({ type: 'conv2d', filters: 4, kernel, stride, padding });
    // same: ceil(7/2) = 4; valid: (28-5)/1+1 = 24; p=2: (28+4-5)/1+1 = 28; p=1, s=2 on 32: (32+2-3) div 2 + 1 = 16
    expect(outputs(net([7, 7, 1], [conv(3, 2, 'same')]))).to.deep.equal([[4, 4, 4]]);
    expect(outputs(net([28, 28, 1], [conv(5, 1, 'valid')]))).to.deep.equal([[24, 24, 4]]);
    expect(outputs(net([28, 28, 1], [conv(5, 1, 2)]))).to.deep.equal([[28, 28, 4]]);
    expect(outputs(net([32, 32, 1], [conv(3, 2, 1)]))).to.deep.equal([[16, 16, 4]]);
    // (29 - 3) div 2 + 1 = 14 rows, 14 columns
    expect(outputs(net([29, 14, 1], [{ type: 'conv2d', filters: 2, kernel: [3, 1], stride: [2, 1], padding: 'valid' }]))).to.deep.equal([[14, 14, 2]]);
    expect(outputs(net([9, 9, 3], [{ type: 'pool', mode: 'max', size: 3 }]))).to.deep.equal([[3, 3, 3]]);
  });

  it('throws DslError naming the layer when the stride leaves input rows unused', () => {
    const spec = net([28, 28, 1], [{ type: 'pool', size: 2, stride: 3 }]);
    expect(() => inferShapes(spec, { file: 'f' })).to.throw(DslError, `f  /layers/0/stride  ${m.strideDoesNotDivide('pool', 'height and width', 28, 2, 3, 0, 2)}`);
  });

  it('names only the axis that does not divide', () => {
    const spec = net([28, 27, 1], [{ type: 'pool', size: 2 }]);
    // the stride is not spelled out (it defaults to the window), so the layer is named
    expect(() => inferShapes(spec, { file: 'f' })).to.throw(DslError, `f  /layers/0  ${m.strideDoesNotDivide('pool', 'width', 27, 2, 2, 0, 1)}`);
  });

  it('refuses an identity shortcut whose block changes the channels, and accepts a projection', () => {
    const block = (shortcut: 'identity' | 'projection'): Layer => ({ type: 'residual', filters: 32, shortcut });
    expect(() => inferShapes(net([8, 8, 16], [block('identity')]), { file: 'f' })).to.throw(DslError, m.residualMismatch([8, 8, 16], [8, 8, 32]));
    expect(outputs(net([8, 8, 16], [block('projection')]))).to.deep.equal([[8, 8, 32]]);
  });

  it('refuses spatial layers after flatten and a linear layer before it', () => {
    expect(() => inferShapes(net([10], [{ type: 'conv2d', filters: 1, kernel: 1 }]))).to.throw(DslError, m.needsSpatial('conv2d', [10]));
    expect(() => inferShapes(net([4, 4, 2], [{ type: 'linear', units: 3 }]))).to.throw(DslError, m.needsFlat('linear', [4, 4, 2]));
    expect(() => inferShapes(net([4], [{ type: 'globalAvgPool' }]))).to.throw(DslError, m.needsSpatial('globalAvgPool', [4]));
  });
});
