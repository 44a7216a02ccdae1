/** User-facing messages of @deepspike/web, in one module so tests can assert them. */
export const messages = {
  backendUnknown: (name: string, known: readonly string[]): string =>
    `initWebBackend: unknown backend, got "${name}"; expected one of ${known.join(', ')}. Pass one of those names or none to let it choose.`,
  backendForcedFailed: (name: string, cause: string): string =>
    `initWebBackend: the forced backend "${name}" could not start, got "${cause}"; expected it to load. ` +
    (name === 'wasm'
      ? 'Serve the tfjs-backend-wasm .wasm files and pass their URL prefix as `wasmPaths`.'
      : name === 'webgl'
        ? 'This browser has no usable WebGL (disabled GPU?); use "wasm" or "cpu", or let initWebBackend choose.'
        : 'Check that @tensorflow/tfjs-backend-cpu is bundled.'),
  noBackend: (skipped: string): string =>
    `initWebBackend: no backend could start, got ${skipped}; expected at least cpu. Check the bundle includes @tensorflow/tfjs-backend-cpu.`,
  fetchFailed: (url: string, status: string): string =>
    `loadWebModel: could not fetch ${url}, got ${status}; expected a checkpoint served over HTTP (state.json and weights/model.json). ` +
    'Serve the step-* folder of a run and pass its URL.',
  notJson: (url: string, cause: string): string =>
    `loadWebModel: ${url} is not JSON, got "${cause}"; expected a checkpoint's state.json. Pass the URL of a step-* checkpoint folder.`,
  noSpec: (url: string, found: string): string =>
    `loadWebModel: ${url} holds no model spec, got ${found}; expected {"spec": {...}} as the trainer writes it. Pass a checkpoint written by \`deepspike train\`.`,
  inputShape: (got: readonly number[], expected: readonly number[]): string =>
    `WebModel.predict: input of the wrong shape, got [${got.join(', ')}]; expected [N, ${expected.join(', ')}]. Pass images as the model's input.shape (channels last).`,
  pixelCount: (got: number, expected: number): string =>
    `WebModel.predict: input of the wrong size, got ${got} values; expected a multiple of ${expected} (one image of the model's input shape). Resize the image first (toMnistInput).`,
  noLayer: (name: string, known: readonly string[]): string =>
    `WebModel.predict: no spiking layer "${name}", got layers ${known.join(', ') || '(none)'}; expected one of them as rasterLayer.`,
  imageSize: (width: number, height: number, length: number): string =>
    `toMnistInput: image data does not match its size, got ${length} bytes for ${width}x${height}; expected ${width * height * 4} (RGBA). Pass a canvas ImageData.`,
} as const;
