import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { AugmentOptions, Dataset, DatasetOptions, RandomSource, Sample, Split } from '../types.js';
import { DatasetFormatError } from '../errors.js';
import { messages } from '../messages.js';

/** Options of `imagenet` (any ImageFolder tree works). */
export interface ImageNetOptions extends DatasetOptions {
  /** Folder with `train/<wnid>/*.JPEG` and `val/<wnid>/*.JPEG` (val sorted into class folders). */
  readonly root?: string;
  /** Output side in pixels. Default 224. */
  readonly size?: number;
  /** Validation: the centre crop covers `size / resize` of the short side (torchvision Resize(256)+CenterCrop(224)). Default 256. */
  readonly resize?: number;
  /** Override the per-channel normalisation. */
  readonly mean?: readonly number[];
  readonly std?: readonly number[];
}

const IMAGE_EXT = /\.(jpe?g|png|webp|tiff?|bmp)$/i;

/** A crop box in source pixels. */
export interface CropBox {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

/**
 * torchvision's `RandomResizedCrop.get_params`: up to 10 tries of an area fraction in `scale` and a log-uniform
 * aspect ratio in `ratio`; falls back to the whole image clamped to the ratio range, centred.
 */
export function randomResizedCropBox(
  width: number,
  height: number,
  rng: RandomSource,
  scale: readonly [number, number] = [0.08, 1],
  ratio: readonly [number, number] = [3 / 4, 4 / 3],
): CropBox {
  const area = width * height;
  const [lr0, lr1] = [Math.log(ratio[0]), Math.log(ratio[1])];
  for (let i = 0; i < 10; i++) {
    const target = area * (scale[0] + (scale[1] - scale[0]) * rng.next());
    const aspect = Math.exp(lr0 + (lr1 - lr0) * rng.next());
    const w = Math.round(Math.sqrt(target * aspect));
    const h = Math.round(Math.sqrt(target / aspect));
    if (w > 0 && h > 0 && w <= width && h <= height) {
      return { top: Math.floor(rng.next() * (height - h + 1)), left: Math.floor(rng.next() * (width - w + 1)), width: w, height: h };
    }
  }
  const inRatio = width / height;
  let w = width;
  let h = height;
  if (inRatio < ratio[0]) h = Math.round(w / ratio[0]);
  else if (inRatio > ratio[1]) w = Math.round(h * ratio[1]);
  return { left: Math.floor((width - w) / 2), top: Math.floor((height - h) / 2), width: w, height: h };
}

/** The centre square covering `fraction` of the short side (Resize(s/fraction) + CenterCrop(s) in one step). */
export function centerCropBox(width: number, height: number, fraction: number): CropBox {
  const side = Math.max(1, Math.round(Math.min(width, height) * fraction));
  return { left: Math.floor((width - side) / 2), top: Math.floor((height - side) / 2), width: side, height: side };
}

function listDirs(dir: string): string[] {
  try {
    return readdirSync(dir).filter((d) => statSync(join(dir, d)).isDirectory()).sort();
  } catch {
    return [];
  }
}

/**
 * Decodes one image with sharp: crop `box` (source pixels), resize to `size × size`, sRGB without alpha,
 * to float32 HWC in [0, 1]. Runs on libuv's thread pool, so several decodes overlap the training step.
 */
export async function decodeImage(file: string, size: number, chooseBox: (w: number, h: number) => CropBox): Promise<Float32Array> {
  let raw: Buffer;
  try {
    const meta = await sharp(file).metadata();
    const box = chooseBox(meta.autoOrient?.width ?? meta.width ?? 0, meta.autoOrient?.height ?? meta.height ?? 0);
    raw = await sharp(file).autoOrient().extract(box).resize(size, size, { fit: 'fill' }).removeAlpha().toColourspace('srgb').raw().toBuffer();
  } catch (err) {
    throw new DatasetFormatError(messages.imageDecode(file, (err as Error).message), file);
  }
  if (raw.length !== size * size * 3) throw new DatasetFormatError(messages.imageDecode(file, `decoded ${raw.length} bytes, not ${size * size * 3}`), file);
  const x = new Float32Array(raw.length);
  for (let i = 0; i < raw.length; i++) x[i] = raw[i]! / 255;
  return x;
}

/**
 * ImageNet (ILSVRC-2012) in the ImageFolder layout: classes are the sorted folder names of `train/`
 * (WordNet ids); `test` is the `val/` folder, laid out the same way. Only file names are held in memory;
 * each sample is read and decoded from disk when the loader asks for it.
 * Train (`augment: true`): RandomResizedCrop(size, scale 0.08–1, ratio 3/4–4/3) + horizontal flip.
 * Test: centre crop of `size/resize` of the short side, resized to `size` (Resize(256) + CenterCrop(224)).
 * Mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225].
 */
export async function openImageNet(options: ImageNetOptions = {}): Promise<Dataset> {
  const fix = 'Pass root: the folder holding train/<wnid>/*.JPEG and val/<wnid>/*.JPEG.';
  const root = options.root;
  if (root === undefined) throw new DatasetFormatError(messages.notFound('imagenet', '(no root)', ['--root'], fix), '(no root)');
  const size = options.size ?? 224;
  const fraction = size / (options.resize ?? 256);
  const classNames = listDirs(join(root, 'train'));
  if (classNames.length === 0) throw new DatasetFormatError(messages.emptyDirectory(join(root, 'train'), 'class folders'), join(root, 'train'));
  const classIndex = new Map(classNames.map((c, i) => [c, i]));
  const files = {} as Record<Split, { file: string; label: number }[]>;
  for (const [split, folder] of [['train', 'train'], ['test', 'val']] as const) {
    const dir = join(root, folder);
    const list: { file: string; label: number }[] = [];
    for (const cls of listDirs(dir)) {
      const label = classIndex.get(cls);
      if (label === undefined) {
        throw new DatasetFormatError(messages.unknownClassFolder(dir, cls, join(root, 'train')), join(dir, cls));
      }
      for (const f of readdirSync(join(dir, cls)).sort()) if (IMAGE_EXT.test(f)) list.push({ file: join(dir, cls, f), label });
    }
    if (list.length === 0) throw new DatasetFormatError(messages.emptyDirectory(dir, 'images in class folders'), dir);
    files[split] = list;
  }
  const entry = (split: Split, index: number): { file: string; label: number } => {
    const e = files[split][index];
    if (!e) throw new DatasetFormatError(messages.badOption('imagenet.get', 'index', index, `0..${files[split].length - 1}`), join(root, split));
    return e;
  };
  return {
    name: 'imagenet',
    classes: classNames.length,
    classNames,
    inputShape: [size, size, 3],
    kind: 'static',
    normalization: { mean: options.mean ?? [0.485, 0.456, 0.406], std: options.std ?? [0.229, 0.224, 0.225] },
    defaultAugment: { randomResizedCrop: {}, flip: true },
    size: (split) => files[split].length,
    async get(split: Split, index: number): Promise<Sample> {
      const e = entry(split, index);
      return { x: await decodeImage(e.file, size, (w, h) => centerCropBox(w, h, fraction)), label: e.label };
    },
    async getAugmented(split: Split, index: number, rng: RandomSource, augment: AugmentOptions): Promise<Sample> {
      const e = entry(split, index);
      const { scale, ratio } = augment.randomResizedCrop ?? {};
      return { x: await decodeImage(e.file, size, (w, h) => randomResizedCropBox(w, h, rng, scale, ratio)), label: e.label };
    },
  };
}
