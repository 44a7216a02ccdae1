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
  const cell = Math.max(6, Math.min(28, Math.floor(720 / Math.max(mx, my))));
  const rects: string[] = [];
  for (let y = 0; y < my; y++) for (let x = 0; x < mx; x++) rects.push(`<rect x="${x * cell}" y="${y * cell}" width="${cell - 1}" height="${cell - 1}" fill="#eee"/>`);
  for (const c of r.cores.perCore) {
    if (!c.position) continue;
    const u = Math.max(c.utilisation.neurons, c.utilisation.axons, c.utilisation.synapses);
    rects.push(`<rect x="${c.position[0] * cell}" y="${c.position[1] * cell}" width="${cell - 1}" height="${cell - 1}" fill="${heat(u)}" stroke="#333" stroke-width="0.5"><title>core ${c.id}: ${esc(c.layer)} — neurons ${fmt(c.utilisation.neurons * 100)} %, axons ${fmt(c.utilisation.axons * 100)} %, synapses ${fmt(c.utilisation.synapses * 100)} %</title></rect>`);
  }
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${mx * cell}" height="${my * cell}" role="img" aria-label="core utilisation heat map">${rects.join('')}</svg>`;
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
Agreement (integer vs float predictions on ${r.verify.samples} test samples): <b>${fmt(r.agreement * 100)} %</b>.</p>
<h2 class="${r.fits ? '' : 'bad'}">Design rules</h2>
${violations}
<h2>Core utilisation on the ${mx} × ${my} mesh</h2>
${svg}
<p>Inter-core spikes per step ${fmt(r.traffic.interCoreSpikesPerStep)}; hop-weighted traffic ${fmt(r.traffic.hopWeightedTraffic)} (row-by-row placement: ${fmt(r.traffic.initialHopWeightedTraffic)}).</p>
<h2>Layers</h2>
<table><tr><th>layer</th><th>neurons</th><th>fan-in</th><th>synapses</th><th>cores</th><th>splits</th><th>firing rate</th></tr>
${r.layers.map((l) => row([l.layer, l.neurons, l.fanIn, l.synapses, l.cores, l.splits, l.firingRate])).join('\n')}</table>
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
