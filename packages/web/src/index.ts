/**
 * @deepspike/web — DeepSpike in the browser: load a checkpoint written by `deepspike train` over
 * HTTP and run the spiking network with tf.js on WebGL, falling back to WASM then CPU, with class
 * probabilities and a spike raster of any hidden layer.
 *
 * ```ts
 * const { line } = await initWebBackend({ wasmPaths: './wasm/' });
 * const net = await loadWebModel('./model/checkpoint/step-00000300/');
 * const [p] = await net.predict(toMnistInput(ctx.getImageData(0, 0, 280, 280)));
 * ```
 * @packageDocumentation
 */
export { initWebBackend, WEB_BACKEND_ORDER, type WebBackendName, type WebBackendOptions, type WebBackendReport } from './backend.js';
export { fetchCheckpoint, type CheckpointSource, type FetchLike } from './checkpoint-source.js';
export { loadWebModel, WebModel, type LoadWebModelOptions, type Normalization, type PredictOptions, type WebPrediction } from './web-model.js';
export { toMnistInput, type MnistInputOptions, type RgbaImage } from './mnist-input.js';
export { messages } from './messages.js';
