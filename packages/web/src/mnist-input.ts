import { messages } from './messages.js';

/** An RGBA image, as a canvas `ImageData` holds it. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  /** width·height·4 bytes, row-major RGBA. */
  readonly data: ArrayLike<number>;
}

/** Options of {@link toMnistInput}. */
export interface MnistInputOptions {
  /**
   * Ink is dark on light (black pen on a white canvas); default false: light ink on dark, as
   * MNIST's images are.
   */
  readonly darkInk?: boolean;
  /** Fit the drawing's bounding box into this many pixels and centre its mass, as MNIST did (default 20; 0 = plain resize). */
  readonly box?: number;
}

const SIDE = 28;

/** Ink intensity in [0, 1] of every pixel (luma of RGB, weighted by alpha). */
function inkOf(img: RgbaImage, darkInk: boolean): Float32Array {
  const { width, height, data } = img;
  const ink = new Float32Array(width * height);
  for (let i = 0; i < ink.length; i++) {
    const r = data[4 * i] as number, g = data[4 * i + 1] as number, b = data[4 * i + 2] as number, a = data[4 * i + 3] as number;
    const luma = (0.299 * r + 0.587 * g + 0.114 * b) / 255;
    const value = darkInk ? 1 - luma : luma;
    ink[i] = value * (a / 255);
  }
  return ink;
}

/** Area-averaging resample of the source rectangle (sx, sy, sw, sh) onto a dw×dh grid. */
function resample(src: Float32Array, width: number, sx: number, sy: number, sw: number, sh: number, dw: number, dh: number): Float32Array {
  const out = new Float32Array(dw * dh);
  const fx = sw / dw, fy = sh / dh;
  for (let oy = 0; oy < dh; oy++) {
    const y0 = sy + oy * fy, y1 = y0 + fy;
    for (let ox = 0; ox < dw; ox++) {
      const x0 = sx + ox * fx, x1 = x0 + fx;
      let sum = 0;
      for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
          const wx = Math.min(x + 1, x1) - Math.max(x, x0);
          sum += wx * wy * (src[y * width + x] ?? 0);
        }
      }
      out[oy * dw + ox] = sum / (fx * fy);
    }
  }
  return out;
}

/**
 * Turns a drawing into an MNIST-like input: 28×28 ink intensities in [0, 1] (the scale
 * @deepspike/datasets gives MNIST, pixel/255). With `box` > 0 the drawing's bounding box is scaled
 * to fit `box`×`box` pixels (aspect kept) and placed so its centre of mass is the image centre, the
 * way MNIST's digits were normalised; an empty drawing gives zeros.
 * @returns [28·28] float32, row-major (the model's `[28, 28, 1]` input)
 */
export function toMnistInput(img: RgbaImage, options: MnistInputOptions = {}): Float32Array {
  if (img.data.length !== img.width * img.height * 4) {
    throw new Error(messages.imageSize(img.width, img.height, img.data.length));
  }
  const ink = inkOf(img, options.darkInk ?? false);
  const box = options.box ?? 20;
  if (box <= 0) return resample(ink, img.width, 0, 0, img.width, img.height, SIDE, SIDE);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if ((ink[y * img.width + x] as number) > 0.05) {
        minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
      }
    }
  }
  const out = new Float32Array(SIDE * SIDE);
  if (minX > maxX) return out;
  const bw = maxX - minX + 1, bh = maxY - minY + 1;
  const scale = box / Math.max(bw, bh);
  const dw = Math.max(1, Math.round(bw * scale)), dh = Math.max(1, Math.round(bh * scale));
  const digit = resample(ink, img.width, minX, minY, bw, bh, dw, dh);
  let mass = 0, cx = 0, cy = 0;
  for (let y = 0; y < dh; y++) for (let x = 0; x < dw; x++) {
    const v = digit[y * dw + x] as number;
    mass += v; cx += v * x; cy += v * y;
  }
  const ox = Math.round(SIDE / 2 - (mass > 0 ? cx / mass : dw / 2) - 0.5);
  const oy = Math.round(SIDE / 2 - (mass > 0 ? cy / mass : dh / 2) - 0.5);
  for (let y = 0; y < dh; y++) for (let x = 0; x < dw; x++) {
    const tx = x + ox, ty = y + oy;
    if (tx >= 0 && tx < SIDE && ty >= 0 && ty < SIDE) out[ty * SIDE + tx] = Math.min(1, digit[y * dw + x] as number);
  }
  return out;
}
