// Walkthrough 4: inference in the browser with @deepspike/web (the code of examples/web-digits).
// It runs as is in a page; under Node (as its test runs it) webgl is absent and it falls back to wasm.
import { initWebBackend, loadWebModel, type WebPrediction } from '@deepspike/web';

export interface BrowserInferenceOptions {
  /** URL of a checkpoint folder (a run's checkpoint/step-*) served over HTTP. */
  readonly checkpointUrl: string;
  /** URL (or, under Node, folder) of tfjs-backend-wasm's .wasm files, with a trailing slash. */
  readonly wasmPaths: string;
  /** One 28x28 image, pixels in [0, 1] (toMnistInput turns a canvas drawing into this). */
  readonly pixels: Float32Array;
}

export async function browserInference(options: BrowserInferenceOptions): Promise<{ backend: string; prediction: WebPrediction; layers: string[] }> {
  // webgl, else wasm, else cpu; `line` says which and why ("deepspike: backend wasm (skipped webgl: ...)").
  const { backend, line } = await initWebBackend({ wasmPaths: options.wasmPaths });
  console.log(line);
  // state.json gives the spec, weights/ the tf.js weights; pixels are normalised as MNIST's loader did.
  const net = await loadWebModel(options.checkpointUrl, { normalization: { mean: [0.1307], std: [0.3081] } });
  try {
    const [prediction] = await net.predict(options.pixels, { rasterLayer: 'lif3' }); // the spiking fc-256 layer
    return { backend, prediction: prediction!, layers: net.spikingLayers };
  } finally {
    net.dispose();
  }
}
