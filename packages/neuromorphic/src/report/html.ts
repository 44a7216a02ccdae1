import type { MappingReport } from './map-model.js';

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const fmt = (x: number | null): string => (x === null ? '—' : Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-2 && x !== 0) ? x.toExponential(3) : x.toFixed(3).replace(/\.?0+$/, ''));

/** White (0 %) to red (100 %) for a utilisation in [0, 1]. */
function heat(u: number): string {
  const t = Math.max(0, Math.min(1, u));
  const g = Math.round(255 * (1 - t));
  return `rgb(255,${g},${Math.round(g * 0.8)})`;
}

/**
 * `mapping.html`: a self-contained page (no scripts, no network) with the per-core utilisation heat
 * map on the chip's mesh (max of neuron, axon and synapse use; the layer in the tooltip), the
 * violations, the layer table and the energy table (45 nm and chip figures, SNN vs equivalent ANN).
 */
export function mappingHtml(r: MappingReport): string {
  const [mx, my] = r.chip.mesh;
  const [bx, by] = r.board.layout;
  const cell = Math.max(4, Math.min(28, Math.floor(720 / Math.max(mx * bx, my * by))));
  const gap = cell * 2;
  const chipW = mx * cell;
  const chipH = my * cell;
  const origin = (k: number): [number, number] => {
    const [px, py] = r.board.positions[k] ?? [0, 0];
    return [px * (chipW + gap), py * (chipH + gap)];
  };
  const rects: string[] = [];
  for (let k = 0; k < r.board.chips; k++) {
    const [ox, oy] = origin(k);
    for (let y = 0; y < my; y++) for (let x = 0; x < mx; x++) rects.push(`<rect x="${ox + x * cell}" y="${oy + y * cell}" width="${cell - 1}" height="${cell - 1}" fill="#eee"/>`);
    if (r.board.chips > 1) rects.push(`<rect x="${ox - 2}" y="${oy - 2}" width="${chipW + 3}" height="${chipH + 3}" fill="none" stroke="#888"><title>chip ${k}: ${r.board.coresPerChip[k] ?? 0} cores used</title></rect>`);
  }
  for (const c of r.cores.perCore) {
    if (!c.position) continue;
    const [ox, oy] = origin(c.chip);
    const u = Math.max(c.utilisation.neurons, c.utilisation.axons, c.utilisation.synapses);
    rects.push(`<rect x="${ox + c.position[0] * cell}" y="${oy + c.position[1] * cell}" width="${cell - 1}" height="${cell - 1}" fill="${heat(u)}" stroke="#333" stroke-width="0.5"><title>chip ${c.chip} core ${c.id}: ${esc(c.layer)}${c.split ? ` (partial sum ${c.split})` : ''} — neurons ${fmt(c.utilisation.neurons * 100)} %, axons ${fmt(c.utilisation.axons * 100)} %, synapses ${fmt(c.utilisation.synapses * 100)} %</title></rect>`);
  }
  // inter-chip traffic: a line between chip centres, as thick as its share of the crossing spikes
  const maxFlow = Math.max(1e-30, ...r.traffic.chipFlows.map((f) => f.spikes));
  for (const f of r.traffic.chipFlows) {
    const [ax, ay] = origin(f.from);
    const [cx, cy] = origin(f.to);
    const w = 1 + 5 * (f.spikes / maxFlow);
    rects.push(`<line x1="${ax + chipW / 2}" y1="${ay + chipH / 2}" x2="${cx + chipW / 2}" y2="${cy + chipH / 2}" stroke="#1565c0" stroke-opacity="0.6" stroke-width="${w.toFixed(1)}"><title>chip ${f.from} → chip ${f.to}: ${fmt(f.spikes)} spikes/step</title></line>`);
  }
  const W = bx * chipW + (bx - 1) * gap;
  const H = by * chipH + (by - 1) * gap;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="core utilisation heat map${r.board.chips > 1 ? ' and inter-chip traffic' : ''}">${rects.join('')}</svg>`;
  const memory = r.layers.some((l) => l.memory);
  const match = new Map(r.verify.layers.map((l) => [l.layer, l.spikeTrainMatch] as const));
  const e = r.energy;
  const row = (cells: (string | number | null)[]): string => `<tr>${cells.map((c) => `<td>${typeof c === 'number' || c === null ? fmt(c) : esc(c)}</td>`).join('')}</tr>`;
  const energyRows = e.layers.map((l) => row([l.layer, l.sops, l.macs, l.neuronUpdates, l.annMacs, l.energy45PJ / 1e6]));
  const list = r.violations.length ? `<ul>${r.violations.map((v) => `<li${v.severity === 'error' ? ' class="bad"' : ''}>${v.severity === 'warning' ? 'warning: ' : ''}${esc(v.message)}</li>`).join('')}</ul>` : '';
  const violations = `${r.fits ? '<p>No error: the chip can hold the model.</p>' : '<p class="bad">The chip cannot hold the model as it is.</p>'}${list}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>DeepSpike mapping: ${esc(r.model)} on ${esc(r.target)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}td:first-child,th:first-child{text-align:left}.bad{color:#b00}</style></head>
<body>
<h1>${esc(r.model)} on ${esc(r.target)}</h1>
<p>${esc(r.chip.description)} — ${r.cores.used} of ${r.cores.available} cores used; ${r.bits}-bit weights (${esc(r.scheme)}), tdBN folded into ${esc(r.fold)}.
${r.agreement === null ? 'Not verified (no test data): firing rates assumed 0.1 spikes per neuron per step.' : `Agreement (integer vs float predictions on ${r.verify.samples} test samples): <b>${fmt(r.agreement * 100)} %</b>; first diverging layer: ${esc(r.verify.firstDivergingLayer ?? 'none')}.`}</p>
<h2 class="${r.fits ? '' : 'bad'}">Design rules</h2>
${violations}
<h2>Core utilisation on ${r.board.chips > 1 ? `${r.board.chips} chips (${r.board.chipsUsed} used) of ` : 'the '}${mx} × ${my} mesh${r.board.chips > 1 ? 'es' : ''}</h2>
${svg}
<p>Inter-core spikes per step ${fmt(r.traffic.interCoreSpikesPerStep)}; hop-weighted traffic ${fmt(r.traffic.hopWeightedTraffic)} (row-by-row placement: ${fmt(r.traffic.initialHopWeightedTraffic)}).
Inter-chip: ${fmt(r.traffic.interChipSpikesPerStep)} spikes/step (${fmt(r.traffic.interChipBytesPerStep)} bytes/step, ${fmt(r.traffic.interChipHopWeighted)} spike-chip-hops).
Critical path of a step: ${r.latency.hops} hops, ${r.latency.chipCrossings} chip crossings${r.latency.ns === null ? ' (no published per-hop latency)' : `, ≈ ${fmt(r.latency.ns)} ns`} through ${esc(r.latency.path.join(' → '))}.</p>
${r.partialSums.length ? `<p>Partial sums: ${r.partialSums.map((p) => esc(p.message)).join('; ')}.</p>` : ''}
<h2>Layers</h2>
<table><tr><th>layer</th><th>neurons</th><th>fan-in</th><th>synapses</th><th>cores</th><th>splits</th><th>firing rate</th>${memory ? '<th>kernel memory</th><th>neuron memory</th><th>core</th>' : ''}<th>spike-train match</th></tr>
${r.layers.map((l) => row([l.layer, l.neurons, l.fanIn, l.synapses, l.cores, l.splits, l.firingRate, ...(memory ? [l.memory?.kernel ?? null, l.memory?.neuron ?? null, l.memory?.core ?? null] : []), match.get(l.layer) ?? null])).join('\n')}</table>
<h2>Energy per sample</h2>
<table><tr><th>layer</th><th>SOPs</th><th>MACs</th><th>neuron updates</th><th>ANN MACs</th><th>45 nm (µJ)</th></tr>
${energyRows.join('\n')}
${row(['total', e.totals.sops, e.totals.macs, e.totals.neuronUpdates, e.totals.annMacs, e.energy45PJ / 1e6])}</table>
<table><tr><th>estimate</th><th>energy (µJ)</th></tr>
${row(['SNN, 45 nm (' + e.constants.acPJ + ' pJ/AC, ' + e.constants.macPJ + ' pJ/MAC)', e.energy45PJ / 1e6])}
${row(['equivalent ANN, 45 nm', e.annEnergy45PJ / 1e6])}
${row([`SNN on ${r.target} (chip figures)`, e.chipEnergyPJ === null ? null : e.chipEnergyPJ / 1e6])}</table>
</body></html>
`;
}
