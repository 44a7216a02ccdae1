/** Names of generated things: classes, fields, files. */

/** `"resnet19-cifar10"` -> `"Resnet19Cifar10"` (a valid class name; a leading digit gets a `Model` prefix). */
export function pascalCase(name: string): string {
  const p = name
    .split(/[^A-Za-z0-9]+/)
    .filter((s) => s.length > 0)
    .map((s) => (s[0] as string).toUpperCase() + s.slice(1))
    .join('');
  return /^[0-9]/.test(p) ? `Model${p}` : p || 'Model';
}

/** `"rank-order"` -> `"rankOrder"`. */
export function camelCase(name: string): string {
  const p = pascalCase(name);
  return p[0] === undefined ? p : p[0].toLowerCase() + p.slice(1);
}

/** `"mnist-tdbn"` -> `"mnist-tdbn.generated.ts"`. */
export function generatedFileName(modelName: string): string {
  return `${modelName}.generated.ts`;
}
