import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Dataset, Split } from '../types.js';
import { DatasetFormatError } from '../errors.js';
import { messages } from '../messages.js';
import { isFile } from '../io/read-file.js';
import { openEventDataset, type EventDatasetOptions, type EventSampleRef } from './event-dataset.js';
import { parseGestureLabels } from './gesture-labels.js';

const dirs = (d: string): string[] => {
  try {
    return readdirSync(d).filter((f) => statSync(join(d, f)).isDirectory()).sort();
  } catch {
    return [];
  }
};
const filesIn = (d: string, ext: RegExp): string[] => readdirSync(d).filter((f) => ext.test(f)).sort();
const requireRoot = (name: string, options: EventDatasetOptions, fix: string): string => {
  if (options.root === undefined) throw new DatasetFormatError(messages.notFound(name, '(no root)', ['--root'], fix), '(no root)');
  return options.root;
};
const nonEmpty = (dir: string, refs: EventSampleRef[], what: string): EventSampleRef[] => {
  if (refs.length === 0) throw new DatasetFormatError(messages.emptyDirectory(dir, what), dir);
  return refs;
};
/** The trailing integer of a file name (`cifar10_cat_12.aedat` → 12), for numeric ordering. */
const trailingNumber = (f: string): number => Number(/(\d+)\.[^.]+$/.exec(f)?.[1] ?? Number.NaN);

/**
 * Splits each class's files (in the given order) into the first `ratio` for training and the rest for testing,
 * as SpikingJelly's `split_to_train_test_set(train_ratio, origin_dataset, num_classes)` does per class.
 */
function splitPerClass(byClass: EventSampleRef[][], ratio: number): Record<Split, EventSampleRef[]> {
  const out: Record<Split, EventSampleRef[]> = { train: [], test: [] };
  for (const refs of byClass) {
    const k = Math.round(refs.length * ratio);
    out.train.push(...refs.slice(0, k));
    out.test.push(...refs.slice(k));
  }
  return out;
}

/**
 * N-MNIST (Orchard et al. 2015): `root/Train/<digit>/*.bin` and `root/Test/<digit>/*.bin` (ATIS, 34×34), 10 classes,
 * the official 60000/10000 split. No default augmentation (mirrored digits are other digits).
 */
export async function openNmnist(options: EventDatasetOptions = {}): Promise<Dataset> {
  const root = requireRoot('nmnist', options, 'Pass root: the folder with Train/ and Test/ extracted from N-MNIST.');
  const classNames = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  const splits = {} as Record<Split, EventSampleRef[]>;
  for (const [split, folder] of [['train', 'Train'], ['test', 'Test']] as const) {
    const dir = join(root, folder);
    const refs: EventSampleRef[] = [];
    for (const cls of dirs(dir)) {
      const label = classNames.indexOf(cls);
      if (label < 0) throw new DatasetFormatError(messages.unknownClassFolder(dir, cls, 'N-MNIST (0..9)'), join(dir, cls));
      for (const f of filesIn(join(dir, cls), /\.bin$/i)) refs.push({ file: join(dir, cls, f), label });
    }
    splits[split] = nonEmpty(dir, refs, '<digit>/*.bin files');
  }
  return openEventDataset({ name: 'nmnist', classNames, format: 'nmnist', splits, root }, options);
}

/**
 * N-Caltech101 (Orchard et al. 2015): `root/Caltech101/<class>/image_NNNN.bin` (or `root/<class>/...`), ATIS,
 * up to 240×180; classes are the sorted folder names (including BACKGROUND_Google when present). No official split:
 * the first 90% of each class's files (sorted by name) train, the rest test, as SpikingJelly's
 * `split_to_train_test_set(0.9, ...)`. Default augmentation: horizontal flip.
 */
export async function openNCaltech101(options: EventDatasetOptions = {}): Promise<Dataset> {
  const given = requireRoot('ncaltech101', options, 'Pass root: the folder with Caltech101/<class>/*.bin extracted from N-Caltech101.');
  const root = dirs(given).includes('Caltech101') ? join(given, 'Caltech101') : given;
  const classNames = dirs(root).filter((d) => !d.startsWith('.'));
  const byClass = classNames.map((cls, label) => filesIn(join(root, cls), /\.bin$/i).map((f) => ({ file: join(root, cls, f), label })));
  nonEmpty(root, byClass.flat(), '<class>/*.bin files');
  return openEventDataset({ name: 'ncaltech101', classNames, format: 'ncaltech101', splits: splitPerClass(byClass, 0.9), root: given, defaultAugment: { flip: true } }, options);
}

/** The 11 gestures of DVS128 Gesture, in label order (csv class 1..11). */
export const DVS_GESTURE_CLASSES = [
  'hand clap', 'right hand wave', 'left hand wave', 'right arm clockwise', 'right arm counter-clockwise',
  'left arm clockwise', 'left arm counter-clockwise', 'arm roll', 'air drums', 'air guitar', 'other gestures',
] as const;

/**
 * DVS128 Gesture (Amir et al. 2017): `root/DvsGesture/` (or `root/`) with `trials_to_train.txt`,
 * `trials_to_test.txt`, the AEDAT 3.1 recordings `userNN_<lighting>.aedat` and their `_labels.csv`; each csv row is
 * one sample, the events with `start <= t < end` (as SpikingJelly cuts them; 1176 train / 288 test). No default
 * augmentation (a mirrored left-hand wave is a right-hand wave).
 */
export async function openDvsGesture(options: EventDatasetOptions = {}): Promise<Dataset> {
  const given = requireRoot('dvs-gesture', options, 'Pass root: the DvsGesture folder extracted from DvsGesture.tar.gz.');
  const root = isFile(join(given, 'trials_to_train.txt')) ? given : join(given, 'DvsGesture');
  const splits = {} as Record<Split, EventSampleRef[]>;
  for (const [split, list] of [['train', 'trials_to_train.txt'], ['test', 'trials_to_test.txt']] as const) {
    const listFile = join(root, list);
    if (!isFile(listFile)) throw new DatasetFormatError(messages.notFound('dvs-gesture', given, [list, `DvsGesture/${list}`], 'Pass root: the DvsGesture folder.'), listFile);
    const refs: EventSampleRef[] = [];
    for (const name of readFileSync(listFile, 'utf8').split(/\r?\n/).map((s) => s.trim()).filter((s) => s.length > 0)) {
      const file = join(root, name);
      const labels = join(root, `${basename(name, '.aedat')}_labels.csv`);
      for (const cut of parseGestureLabels(labels, DVS_GESTURE_CLASSES.length)) refs.push({ file, label: cut.label, cut: [cut.start, cut.end] });
    }
    splits[split] = nonEmpty(listFile, refs, 'recordings listed');
  }
  return openEventDataset({ name: 'dvs-gesture', classNames: [...DVS_GESTURE_CLASSES], format: 'aedat3', splits, root: given }, options);
}

/** The CIFAR10-DVS class folders, in label order (the CIFAR-10 order). */
export const CIFAR10_DVS_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;

/**
 * CIFAR10-DVS (Li et al. 2017): `root/<class>/cifar10_<class>_<i>.aedat` (AEDAT 2.0, 128×128), 1000 per class.
 * It has no official split. DOCUMENTED SPLIT: within each class the files are ordered by the number `<i>` in their
 * name and the first 90% (i = 0..899) train, the last 10% (900..999) test — SpikingJelly's
 * `split_to_train_test_set(0.9, dataset, 10)` per class. (SpikingJelly walks files in lexicographic name order,
 * so its 90% is a different subset; the TEBN split, test = i < 100, is another convention. Compare with care.)
 * Default augmentation: horizontal flip and a random roll of up to 5 pixels (as NDA-style training does).
 */
export async function openCifar10Dvs(options: EventDatasetOptions = {}): Promise<Dataset> {
  const root = requireRoot('cifar10-dvs', options, 'Pass root: the folder with the 10 class folders extracted from the CIFAR10-DVS zips.');
  const present = dirs(root);
  const byClass = CIFAR10_DVS_CLASSES.map((cls, label) =>
    present.includes(cls)
      ? filesIn(join(root, cls), /\.aedat$/i)
          .sort((a, b) => trailingNumber(a) - trailingNumber(b) || a.localeCompare(b))
          .map((f) => ({ file: join(root, cls, f), label }))
      : [],
  );
  nonEmpty(root, byClass.flat(), '<class>/*.aedat files');
  return openEventDataset(
    { name: 'cifar10-dvs', classNames: [...CIFAR10_DVS_CLASSES], format: 'aedat2', splits: splitPerClass(byClass, 0.9), root, defaultAugment: { flip: true, roll: { max: 5 } } },
    options,
  );
}
