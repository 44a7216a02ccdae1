import { expect } from 'chai';
import { toMnistInput, type RgbaImage } from '@deepspike/web';

/** A 28×28 ink image drawn as an RGBA canvas of `scale`× the size (light ink on black). */
function upscale(ink: Float32Array, scale: number, darkInk = false): RgbaImage {
  const side = 28 * scale;
  const data = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) {
    const v = Math.round(255 * (ink[Math.floor(y / scale) * 28 + Math.floor(x / scale)] as number));
    const g = darkInk ? 255 - v : v;
    data.set([g, g, g, 255], 4 * (y * side + x));
  }
  return { width: side, height: side, data };
}

describe('toMnistInput', () => {
  const bar = new Float32Array(28 * 28);
  // A 2-pixel-wide vertical bar, rows 4..23, columns 5..6 (off centre), intensities k/255.
  for (let y = 4; y < 24; y++) for (let x = 5; x < 7; x++) bar[y * 28 + x] = Math.round(255 * (0.5 + (y - 4) / 40)) / 255;

  it('gives back a 28×28 image drawn at 10× exactly with box 0 (area averaging)', () => {
    const out = toMnistInput(upscale(bar, 10), { box: 0 });
    expect(out).to.have.length(784);
    for (let i = 0; i < 784; i++) expect(out[i]).to.be.closeTo(bar[i] as number, 1e-6);
  });

  it('reads dark ink on light the same with darkInk', () => {
    const out = toMnistInput(upscale(bar, 4, true), { box: 0, darkInk: true });
    for (let i = 0; i < 784; i++) expect(out[i]).to.be.closeTo(bar[i] as number, 1e-6);
  });

  it('fits the drawing in a 20-pixel box and centres its mass (MNIST normalisation)', () => {
    const out = toMnistInput(upscale(bar, 10), { box: 20 });
    let mass = 0, cx = 0, cy = 0, top = 28, bottom = -1;
    out.forEach((v, i) => {
      mass += v; cx += v * (i % 28); cy += v * Math.floor(i / 28);
      if (v > 0.05) { top = Math.min(top, Math.floor(i / 28)); bottom = Math.max(bottom, Math.floor(i / 28)); }
    });
    // The 20-row bar keeps its 20 rows; its centre of mass lands within half a pixel of (13.5, 13.5).
    expect(bottom - top + 1).to.equal(20);
    expect(cx / mass).to.be.closeTo(13.5, 0.5);
    expect(cy / mass).to.be.closeTo(13.5, 0.5);
  });

  it('gives zeros for an empty drawing', () => {
    expect(Array.from(toMnistInput(upscale(new Float32Array(784), 2)))).to.deep.equal(new Array(784).fill(0));
  });

  it('says what is wrong with mis-sized image data', () => {
    expect(() => toMnistInput({ width: 10, height: 10, data: new Uint8ClampedArray(399) })).to.throw(
      'toMnistInput: image data does not match its size, got 399 bytes for 10x10; expected 400 (RGBA). Pass a canvas ImageData.',
    );
  });
});
