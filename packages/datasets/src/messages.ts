/**
 * Every user-facing message of `@deepspike/datasets`, in the house format
 * `<where>: <what was wrong>, got <actual>; expected <expected>. <how to fix>`.
 * A file problem's `<where>` is `<file> at byte <offset>` (or `<file> entry <n>`), so the user can look at it.
 */
const at = (file: string, offset: number): string => `${file} at byte ${offset}`;

export const messages = {
  fileMissing: (file: string, what: string, fix: string) =>
    `${file}: cannot open ${what}, got no such file; expected the file as downloaded from the official source. ${fix}`,
  notFound: (dataset: string, root: string, tried: readonly string[], fix: string) =>
    `${dataset}: no data found in ${root}, got none of ${tried.join(', ')}; expected the official files. ${fix}`,
  emptyDirectory: (dir: string, what: string) =>
    `${dir}: empty directory, got no ${what}; expected at least one. Point --root at the folder holding the dataset files.`,
  truncated: (file: string, offset: number, what: string, got: number, expected: number) =>
    `${at(file, offset)}: truncated ${what}, got ${got} bytes; expected ${expected}. The file is incomplete: download it again.`,
  gzipBroken: (file: string, offset: number, cause: string) =>
    `${at(file, offset)}: broken gzip stream, got "${cause}"; expected a complete .gz file. The file is incomplete: download it again.`,
  idxMagic: (file: string, got: number) =>
    `${at(file, 0)}: wrong IDX magic number, got 0x${got.toString(16).padStart(8, '0')}; expected 0x00000801 (labels) or 0x00000803 (images) of unsigned bytes. Use the IDX files of MNIST/Fashion-MNIST (plain or .gz).`,
  idxRank: (file: string, got: number, expected: number) =>
    `${at(file, 3)}: wrong IDX rank, got ${got} dimensions; expected ${expected}. Check that images and labels files are not swapped.`,
  countMismatch: (file: string, got: number, other: string, expected: number) =>
    `${file}: wrong number of records, got ${got}; expected ${expected} as in ${other}. Use the images and labels files of the same split.`,
  labelRange: (file: string, offset: number, entry: number, label: number, classes: number) =>
    `${at(file, offset)}: label of entry ${entry} out of range, got ${label}; expected 0..${classes - 1}. The file is corrupt or of another dataset.`,
  aedatVersion: (file: string, got: string, expected: string) =>
    `${at(file, 0)}: missing or unknown AEDAT header version, got ${got}; expected ${expected}. Pass the --format matching the recording (aedat2 for CIFAR10-DVS, aedat3 for DVS128 Gesture).`,
  packetOverrun: (file: string, offset: number, what: string, got: number, expected: number) =>
    `${at(file, offset)}: ${what} runs past the end of the file, got ${got} bytes left; expected ${expected}. The file is truncated or corrupt: download it again.`,
  packetHeader: (file: string, offset: number, what: string, got: number | string, expected: string) =>
    `${at(file, offset)}: bad AEDAT 3.1 packet header (${what}), got ${got}; expected ${expected}. The file is corrupt.`,
  labelsCsv: (file: string, line: number, got: string, expected: string) =>
    `${file} entry ${line}: bad labels row, got "${got}"; expected ${expected}. Use the _labels.csv shipped with DVS128 Gesture.`,
  unknownFormat: (file: string, got: string, known: readonly string[]) =>
    `${file}: unknown event format, got "${got}"; expected one of ${known.join(', ')}. Pass --format.`,
  shardTooSmall: (where: string, count: number, size: number) =>
    `${where}: a batch of ${count} sample(s) shared by ${size} ranks, got fewer samples than ranks; expected at least ${size}. ` +
    'Raise the batch size (training.batchSize, --batch-size) or start fewer ranks (the last batch of an epoch is the remainder of the split: ' +
    'choose a batch size whose remainder is 0 or >= the number of ranks).',
  badOption: (where: string, name: string, got: unknown, expected: string) =>
    `${where}: option ${name} is invalid, got ${JSON.stringify(got)}; expected ${expected}. Fix the option.`,
  cacheMismatch: (file: string, got: string, expected: string) =>
    `${file}: frame cache does not match, got ${got}; expected ${expected}. Delete the cache folder to rebuild it.`,
  unknownClassFolder: (dir: string, cls: string, train: string) =>
    `${dir} entry ${cls}: class folder not in the training set, got "${cls}"; expected one of the folders of ${train}. Sort val/ into the training classes' folders.`,
  eventsDropped: (where: string, count: number, sensor: readonly [number, number]) =>
    `${where}: events outside the sensor were not counted, got ${count} events; expected coordinates within ${sensor[0]}×${sensor[1]} (H×W). Check the --format (sensor size) of these files.`,
  imageDecode: (file: string, cause: string) =>
    `${file}: cannot decode the image, got "${cause}"; expected a JPEG/PNG readable by sharp. Remove or replace the file.`,
  badSaccadeOption: (option: string, got: unknown, expected: string) =>
    `saccade generator: option ${option} is out of range, got ${String(got)}; expected ${expected}. Fix the mnist-saccade dataset options.`,
  badSaccadeImage: (length: number, size: number) =>
    `saccade generator: image has the wrong number of pixels, got ${length}; expected ${size * size} (${size}x${size}). Pass a [size, size] grey image or set the size option.`,
  datasetMissing: (name: string) =>
    `train: the dataset "${name}" is not registered, got no entry; expected a dataset plugin to provide it. Load the plugin that provides it (first-party datasets come from @deepspike/datasets).`,
} as const;
