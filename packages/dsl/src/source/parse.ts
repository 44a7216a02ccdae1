import { parse as parseWithPointers, stringify as stringifyWithPointers } from 'json-source-map';
import { DslError, type DslProblem } from '../errors.js';
import { messages } from '../messages.js';

/** Largest model file read (5 MiB): a model file describes a network; it holds no weights or data. */
export const MAX_MODEL_FILE_BYTES = 5 * 1024 * 1024;

/** A 0-based character offset with its 0-based line and column (json-source-map's Location). */
export interface SourceLocation {
  readonly line: number;
  readonly column: number;
  readonly pos: number;
}

/**
 * Where each value (and its key) is in the source, by JSON pointer. Declared here, not imported from
 * json-source-map, so the published declarations reference no untyped dependency.
 */
export type SourcePointers = Readonly<
  Record<string, { readonly value: SourceLocation; readonly valueEnd: SourceLocation; readonly key?: SourceLocation; readonly keyEnd?: SourceLocation }>
>;

/** JSON text parsed with the source position of every value. */
export interface ParsedSource {
  readonly file: string;
  readonly text: string;
  readonly data: unknown;
  readonly pointers: SourcePointers;
  /** False for a spec given as an object: problems then carry line and column 0. */
  readonly positions: boolean;
}

/** 1-based line and column (in characters) of character offset `pos` in `text`. */
export function lineColumn(text: string, pos: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(pos, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

/** A problem at character offset `pos` of `text`. */
export function problemAt(file: string, text: string, pos: number, path: string, message: string): DslProblem {
  return { file, path, ...lineColumn(text, pos), message };
}

/** What is open at the end of a truncated document ("an object", "an array", "a string"). */
function openAtEnd(text: string): string {
  const stack: string[] = [];
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') stack.push(c);
    else if (c === '}' || c === ']') stack.pop();
  }
  if (inString) return 'a string';
  const top = stack[stack.length - 1];
  return top === '{' ? 'an object' : top === '[' ? 'an array' : '';
}

/**
 * Parses model-file text, keeping source positions.
 * @throws DslError (one problem) for a file over {@link MAX_MODEL_FILE_BYTES}, an empty file, or invalid
 *   JSON — with the parser's position, and a plain-words reason for trailing commas and truncation.
 */
export function parseSource(text: string, file: string): ParsedSource {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_MODEL_FILE_BYTES) {
    throw new DslError(file, [{ file, path: '', line: 1, column: 1, message: messages.tooLarge(bytes, MAX_MODEL_FILE_BYTES) }]);
  }
  // A byte order mark is invisible in editors, so columns are counted without it.
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (source.trim() === '') throw new DslError(file, [{ file, path: '', line: 1, column: 1, message: messages.empty() }]);
  try {
    const { data, pointers } = parseWithPointers(source);
    return { file, text: source, data, pointers, positions: true };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    const at = /at position (\d+)/.exec(reason);
    if (at) {
      const pos = Number(at[1]);
      const token = source[pos] ?? '';
      let before = pos - 1;
      while (before >= 0 && /\s/.test(source[before] as string)) before--;
      if ((token === '}' || token === ']') && source[before] === ',') {
        throw new DslError(file, [problemAt(file, source, before, '', messages.trailingComma())]);
      }
      throw new DslError(file, [problemAt(file, source, pos, '', messages.unexpectedToken(token))]);
    }
    // "Unexpected end of JSON input": the position is the end of the text.
    let end = source.length;
    while (end > 0 && /\s/.test(source[end - 1] as string)) end--;
    throw new DslError(file, [problemAt(file, source, end, '', messages.truncated(openAtEnd(source)))]);
  }
}

/** Source offset of the value at JSON pointer `path` (or of its key when `key` and it has one). */
export function offsetOf(parsed: ParsedSource, path: string, key = false): number {
  let p = path;
  for (;;) {
    const entry = parsed.pointers[p];
    if (entry) return key && entry.key ? entry.key.pos : entry.value.pos;
    if (p === '') return 0;
    p = p.slice(0, p.lastIndexOf('/'));
  }
}

/**
 * Wraps a spec given as an object (no source text) so problems can still name JSON paths; they carry
 * line and column 0. The object is deep-copied (validation fills defaults into the copy).
 */
export function fromObject(data: unknown, file: string): ParsedSource {
  const { json, pointers } = stringifyWithPointers(data as object, undefined, 2);
  return { file, text: json, data: structuredClone(data), pointers, positions: false };
}

/** The problem `message` about the value at JSON pointer `at` (or its key), with its position and source offset. */
export function problemFor(parsed: ParsedSource, at: string, message: string, key = false): { offset: number; problem: DslProblem } {
  // A value the file does not spell out (a default filled in) is reported at the nearest one it does.
  let path = at;
  while (path !== '' && !parsed.pointers[path]) path = path.slice(0, path.lastIndexOf('/'));
  const offset = offsetOf(parsed, path, key);
  const problem = parsed.positions
    ? problemAt(parsed.file, parsed.text, offset, path, message)
    : { file: parsed.file, path, line: 0, column: 0, message };
  return { offset, problem };
}
