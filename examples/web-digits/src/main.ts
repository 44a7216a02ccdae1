/**
 * The draw-a-digit page: loads the checkpoint served beside it (model/), runs the spiking network
 * with @deepspike/web on WebGL (else WASM, else CPU) on every stroke, and shows the class
 * probabilities and the spike raster of the last hidden spiking layer over the T time steps.
 * `window.deepspikeDemo` exposes the same pipeline to tests.
 */
import { initWebBackend, loadWebModel, toMnistInput, type Normalization, type WebBackendName, type WebModel, type WebPrediction } from '@deepspike/web';

/** What {@link DemoApi.classifyCanvas} returns: the model's input and its prediction. */
export interface CanvasResult {
  readonly input: number[];
  readonly logits: number[];
  readonly probabilities: number[];
  readonly predicted: number;
  readonly raster: number[][];
}

/** The page's pipeline, for tests and the console (`window.deepspikeDemo`). */
export interface DemoApi {
  readonly backend: string;
  readonly line: string;
  readonly rasterLayer: string;
  readonly timesteps: number;
  /** Reads the pad, scales it to 28×28 (`box` 20: MNIST's size normalisation; 0: plain resize) and classifies it. */
  classifyCanvas(box?: number): Promise<CanvasResult>;
}

declare global {
  interface Window {
    deepspikeDemo?: DemoApi;
    deepspikeError?: string;
  }
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;

function drawProbabilities(p: WebPrediction): void {
  const table = $<HTMLTableElement>('probs');
  table.replaceChildren(
    ...Array.from(p.probabilities, (v, c) => {
      const tr = document.createElement('tr');
      if (c === p.predicted) tr.className = 'top';
      tr.innerHTML = `<td>${c}</td><td style="width:12rem"><div class="bar" style="width:${(v * 100).toFixed(1)}%"></div></td><td>${(v * 100).toFixed(1)}%</td>`;
      return tr;
    }),
  );
  $('predicted').textContent = String(p.predicted);
}

function drawRaster(raster: number[][]): void {
  const canvas = $<HTMLCanvasElement>('raster');
  const t = raster.length;
  const k = raster[0]?.length ?? 0;
  canvas.width = Math.max(1, k);
  canvas.height = Math.max(1, t);
  const ctx = canvas.getContext('2d')!;
  const img = ctx.createImageData(canvas.width, canvas.height);
  let spikes = 0;
  raster.forEach((row, s) =>
    row.forEach((v, j) => {
      const i = 4 * (s * canvas.width + j);
      const shade = v > 0 ? 20 : 245;
      spikes += v > 0 ? 1 : 0;
      img.data[i] = shade; img.data[i + 1] = shade; img.data[i + 2] = v > 0 ? 120 : 245; img.data[i + 3] = 255;
    }),
  );
  ctx.putImageData(img, 0, 0);
  canvas.style.height = `${Math.max(40, t * 32)}px`;
  $('raster-summary').textContent = `${t} steps × ${k} neurons, ${spikes} spikes (rate ${(spikes / Math.max(1, t * k)).toFixed(3)}).`;
}

function setUpPad(pad: HTMLCanvasElement, onStroke: () => void): void {
  const ctx = pad.getContext('2d', { willReadFrequently: true })!;
  const clear = (): void => {
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, pad.width, pad.height);
  };
  clear();
  let last: { x: number; y: number } | null = null;
  const at = (e: PointerEvent) => {
    const r = pad.getBoundingClientRect();
    return { x: ((e.clientX - r.left) * pad.width) / r.width, y: ((e.clientY - r.top) * pad.height) / r.height };
  };
  pad.addEventListener('pointerdown', (e) => {
    pad.setPointerCapture(e.pointerId);
    last = at(e);
  });
  pad.addEventListener('pointermove', (e) => {
    if (!last) return;
    const p = at(e);
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 18;
    ctx.lineCap = 'round';
    ctx.beginPath();
    ctx.moveTo(last.x, last.y);
    ctx.lineTo(p.x, p.y);
    ctx.stroke();
    last = p;
  });
  const end = () => {
    if (last) onStroke();
    last = null;
  };
  pad.addEventListener('pointerup', end);
  pad.addEventListener('pointercancel', end);
  $('clear').addEventListener('click', () => {
    clear();
    onStroke();
  });
}

async function start(): Promise<void> {
  const params = new URLSearchParams(location.search);
  const forced = params.get('backend') as WebBackendName | null;
  const report = await initWebBackend({ backend: forced ?? undefined, wasmPaths: new URL('wasm/', location.href).href });
  const modelUrl = new URL('model/', location.href).href;
  const dataset = (await (await fetch(`${modelUrl}dataset.json`)).json()) as { normalization: Normalization | null };
  const net: WebModel = await loadWebModel(modelUrl, { normalization: dataset.normalization ?? undefined });
  const rasterLayer = net.spikingLayers[net.spikingLayers.length - 1] ?? '';
  $('status').textContent = `${report.line}; model ${String(net.spec.name)} after ${net.step ?? '?'} training steps, T = ${net.timesteps}`;
  $('raster-layer').textContent = `${rasterLayer} (the last hidden spiking layer)`;
  const pad = $<HTMLCanvasElement>('pad');

  const classifyCanvas = async (box = 20): Promise<CanvasResult> => {
    const image = pad.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, pad.width, pad.height);
    const input = toMnistInput(image, { box });
    const [p] = await net.predict(input, { rasterLayer });
    if (!p) throw new Error('classifyCanvas: the model returned no prediction');
    drawProbabilities(p);
    drawRaster(p.raster);
    return { input: Array.from(input), logits: Array.from(p.logits), probabilities: Array.from(p.probabilities), predicted: p.predicted, raster: p.raster };
  };
  // One classification at a time; strokes that end meanwhile are folded into the next one.
  let busy: Promise<unknown> = Promise.resolve();
  setUpPad(pad, () => {
    busy = busy.then(() => classifyCanvas()).catch((err) => ($('status').textContent = String(err)));
  });
  window.deepspikeDemo = { backend: report.backend, line: report.line, rasterLayer, timesteps: net.timesteps, classifyCanvas };
}

start().catch((err: unknown) => {
  const text = err instanceof Error ? err.message : String(err);
  window.deepspikeError = text;
  $('status').textContent = `error: ${text}`;
});
