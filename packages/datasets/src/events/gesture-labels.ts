import { readFileSync } from 'node:fs';
import { DatasetFormatError } from '../errors.js';
import { messages } from '../messages.js';

/** One labelled window of a DVS128 Gesture recording. */
export interface GestureCut {
  /** 0-based class (the csv's 1..11 minus one). */
  readonly label: number;
  readonly start: number;
  readonly end: number;
}

/**
 * Parses a DVS128 Gesture `<recording>_labels.csv`: a header row `class,startTime_usec,endTime_usec`, then one
 * row per gesture with the class 1..`classes` and the `[start, end)` window in µs of the recording's timestamps.
 * @throws DatasetFormatError naming the file and entry (1-based line) of a malformed row or a class out of range
 */
export function parseGestureLabels(file: string, classes: number): GestureCut[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new DatasetFormatError(messages.fileMissing(file, 'the labels file', 'Every recording needs its _labels.csv next to it.'), file);
  }
  const cuts: GestureCut[] = [];
  text.split(/\r?\n/).forEach((row, i) => {
    const line = i + 1;
    if (row.trim() === '' || (i === 0 && /[a-z]/i.test(row))) return;
    const cells = row.split(/[,\t]/).map((c) => c.trim());
    const [cls, start, end] = cells.map(Number);
    if (cells.length < 3 || ![cls, start, end].every((v) => Number.isInteger(v)) || start! < 0 || end! < start!) {
      throw new DatasetFormatError(messages.labelsCsv(file, line, row, 'class,startTime_usec,endTime_usec with integers and start <= end'), file);
    }
    if (cls! < 1 || cls! > classes) {
      throw new DatasetFormatError(messages.labelsCsv(file, line, row, `a class in 1..${classes}`), file);
    }
    cuts.push({ label: cls! - 1, start: start!, end: end! });
  });
  return cuts;
}
