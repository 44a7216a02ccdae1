import type { ErrorObject } from 'ajv/dist/2020.js';
import type { DslProblem } from '../errors.js';
import { didYouMean } from '../did-you-mean.js';
import { messages } from '../messages.js';
import { problemFor, type ParsedSource } from '../source/parse.js';
import { loadSchemas } from './load-schemas.js';

/** Keywords that only combine other results: reported only when nothing more precise was. */
const COMBINERS = new Set(['if', 'then', 'else', 'oneOf', 'anyOf', 'allOf', 'not', '$ref']);

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function valueAt(data: unknown, path: string): unknown {
  let v: unknown = data;
  for (const raw of path.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

type Loose = Record<string, unknown>;

/** The description of a property schema, following a `$ref` to the DSL's `$defs` (their names are unique). */
function describedBy(prop: Loose | undefined): string | undefined {
  if (!prop) return undefined;
  if (typeof prop.description === 'string') return prop.description;
  if (typeof prop.$ref !== 'string') return undefined;
  const name = prop.$ref.split('/').pop() as string;
  for (const schema of loadSchemas().values()) {
    const def = ((schema.$defs ?? {}) as Record<string, Loose>)[name];
    if (def && typeof def.description === 'string') return def.description;
  }
  return undefined;
}

/** One ajv error as a problem at a source position, or null when it is noise. */
function describe(e: ErrorObject, parsed: ParsedSource, layerTypes: readonly string[], pathPrefix: string): { path: string; key: boolean; message: string } | null {
  const path = pathPrefix + e.instancePath;
  const params = e.params as Loose;
  const parent = (e.parentSchema ?? {}) as Loose;
  const data = e.data;
  switch (e.keyword) {
    case 'required': {
      const prop = String(params.missingProperty);
      if (prop === 'type' && parent.discriminator) return { path, key: false, message: messages.missingProperty('type', `the layer type, one of ${layerTypes.join(', ')}`) };
      const props = (parent.properties ?? {}) as Record<string, Loose>;
      return { path, key: false, message: messages.missingProperty(prop, describedBy(props[prop])) };
    }
    case 'additionalProperties': {
      const prop = String(params.additionalProperty);
      const allowed = Object.keys((parent.properties ?? {}) as Loose);
      return { path: `${path}/${escapePointer(prop)}`, key: true, message: messages.unknownProperty(prop, allowed, didYouMean(prop, allowed)) };
    }
    case 'discriminator': {
      const tag = String(params.tag ?? 'type');
      const obj = valueAt(parsed.data, path);
      const value = obj !== null && typeof obj === 'object' ? (obj as Loose)[tag] : undefined;
      if (params.error === 'tag') {
        if (value === undefined) return null; // `required` reports the missing type
        return { path: `${path}/${tag}`, key: false, message: messages.layerTypeNotString(value, layerTypes) };
      }
      const name = String(params.tagValue ?? value);
      return { path: `${path}/${tag}`, key: false, message: messages.unknownLayerType(name, layerTypes, didYouMean(name, layerTypes)) };
    }
    case 'type':
      return { path, key: false, message: messages.wrongType(data, String(params.type).split(',')) };
    case 'enum': {
      const allowed = (params.allowedValues ?? []) as unknown[];
      const suggestion = typeof data === 'string' ? didYouMean(data, allowed.filter((a): a is string => typeof a === 'string')) : undefined;
      return { path, key: false, message: messages.notInEnum(data, allowed, suggestion) };
    }
    case 'const':
      return { path, key: false, message: messages.constMismatch(data, params.allowedValue) };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, key: false, message: messages.bound(data, String(params.comparison), Number(params.limit)) };
    case 'minItems':
    case 'maxItems':
      return {
        path,
        key: false,
        message: messages.itemCount(Array.isArray(data) ? data.length : 0, e.keyword === 'minItems' ? 'at least' : 'at most', Number(params.limit)),
      };
    case 'pattern':
      if (path.endsWith('/padding')) return { path, key: false, message: messages.notInEnum(data, ['same', 'valid', 'an integer >= 0'], undefined) };
      if (path === '/name') return { path, key: false, message: messages.badName(data, 'lower-kebab-case', 'resnet19-cifar10') };
      if (/\/layers\/\d+\/name$/.test(path)) return { path, key: false, message: messages.badName(data, 'camelCase', 'stage2Block1') };
      return { path, key: false, message: messages.pattern(data, String(params.pattern)) };
    default:
      return { path, key: false, message: messages.generic(data, e.message ?? e.keyword) };
  }
}

/**
 * Turns ajv's errors into one problem per real mistake, in source order: combinator noise
 * (`if`/`oneOf`/`anyOf`...) is dropped when a more precise error exists at or below the same path,
 * the `type` discriminator reports unknown layer types once (with "did you mean"), duplicates merge.
 * @param pathPrefix JSON pointer the validated data sits at inside the document (for fragments).
 */
export function describeErrors(errors: readonly ErrorObject[], parsed: ParsedSource, layerTypes: readonly string[], pathPrefix = ''): DslProblem[] {
  const precise = collapseAlternatives(errors).filter((e) => !COMBINERS.has(e.keyword));
  const kept = [
    ...precise,
    // a combinator error stays only when nothing more precise was said at or below its path
    ...errors.filter((e) => COMBINERS.has(e.keyword) && !precise.some((p) => `${p.instancePath}/`.startsWith(`${e.instancePath}/`))),
  ];
  const seen = new Set<string>();
  const out: { offset: number; problem: DslProblem }[] = [];
  for (const e of kept) {
    const d = describe(e, parsed, layerTypes, pathPrefix);
    if (!d) continue;
    const id = `${d.path}\u0000${d.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(problemFor(parsed, d.path, d.message, d.key));
  }
  return out.sort((a, b) => a.offset - b.offset).map((o) => o.problem);
}

/**
 * For each failed `anyOf`/`oneOf`, keeps the errors of the one alternative that matters: when every
 * alternative failed on the value's type, one `type` error listing all accepted types; otherwise the
 * alternative of the right type with the fewest errors (the one the author meant).
 */
function collapseAlternatives(errors: readonly ErrorObject[]): ErrorObject[] {
  let result = [...errors];
  for (const combiner of errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf')) {
    if (!result.includes(combiner)) continue;
    const prefix = `${combiner.schemaPath}/`;
    const branches = new Map<string, ErrorObject[]>();
    for (const e of result) {
      if (!e.schemaPath.startsWith(prefix)) continue;
      const branch = e.schemaPath.slice(prefix.length).split('/')[0] as string;
      branches.set(branch, [...(branches.get(branch) ?? []), e]);
    }
    if (branches.size === 0) continue;
    const wrongType = (list: ErrorObject[]): boolean => list.some((e) => e.keyword === 'type' && e.instancePath === combiner.instancePath);
    const all = [...branches.values()];
    const drop = new Set(all.flat());
    let keep: ErrorObject[];
    if (all.every(wrongType)) {
      const types = [...new Set(all.flatMap((l) => l.filter((e) => e.keyword === 'type').flatMap((e) => String((e.params as Loose).type).split(','))))];
      const first = all[0]?.find((e) => e.keyword === 'type') as ErrorObject;
      keep = [{ ...first, params: { type: types.join(',') } }];
    } else {
      keep = all.filter((l) => !wrongType(l)).sort((a, b) => a.length - b.length)[0] ?? [];
    }
    result = result.filter((e) => !drop.has(e) && e !== combiner);
    result.push(...keep);
  }
  return result;
}
