#!/usr/bin/env python3
"""Independent reader of Lava-DL netx HDF5 network files (h5py + numpy, no DeepSpike code).

Checks a file against the layout `lava.lib.dl.netx.hdf5.Network` reads (lava-dl's netx README,
"HDF5 description protocol"): `layer/0..n-1` consecutive, each with a string `type` and a `shape`
(channel-first; the reader reverses it), layer 0 `input`, `conv` with inChannels, outChannels,
kernelSize, stride, padding, dilation, groups and an integer weight (out, in/groups, kh, kw), `dense`
with inFeatures, outFeatures and an integer weight (out, in), `flatten`, and a CUBA `neuron` group
(iDecay, vDecay in [0, 4096], vThMant in [0, 2^17)). Shapes must compose: a conv's shape is what its
kernel, stride, padding and dilation make of the previous layer's, a dense layer's inFeatures is the
previous layer's size. Weights fit Loihi's synapse ([-256, 254], what netx's optimize_weight_bits
accepts without clipping).

With --run, simulates the network as Loihi's fixed-point CUBA LIF does (weights, biases and the
threshold mantissa times 2^6; u <- trunc(u*(4096-iDecay)/4096) + input; v <- trunc(v*(4096-vDecay)/4096)
+ u + bias; spike and v <- 0 when v > vThMant*2^6), with PyTorch's convolution (cross-correlation on
channel-first maps) and channel-first flattening, every layer within the same step. Reads JSON
{"inputs": [[frame, ...], ...]} on stdin (per sample, per step, the input layer's values flattened
channel-first) and prints JSON {"predictions", "spikes" (per layer, summed over samples), "readout"}.

Exit status 0 when the file is valid (and the run done), 1 with the problems listed otherwise.
"""
import json
import sys

import h5py
import numpy as np

DECAY_UNIT = 4096
VTH_MANT_LIMIT = 2 ** 17


class Invalid(Exception):
    pass


def scalar(g, key, where):
    if key not in g:
        raise Invalid(f'{where}: missing {key}')
    v = np.asarray(g[key][()])
    if v.size != 1:
        raise Invalid(f'{where}/{key}: expected one value, got shape {v.shape}')
    return int(v.reshape(-1)[0])


def pair(g, key, where):
    if key not in g:
        raise Invalid(f'{where}: missing {key}')
    v = np.asarray(g[key][()]).reshape(-1)
    if v.size != 2:
        raise Invalid(f'{where}/{key}: expected (y, x), got {v.tolist()}')
    return int(v[0]), int(v[1])


def text(g, key, where):
    if key not in g:
        raise Invalid(f'{where}: missing {key}')
    v = g[key][()]
    if isinstance(v, np.ndarray):
        v = v.reshape(-1)[0]
    return v.decode('ascii') if isinstance(v, bytes) else str(v)


def integer_weight(g, where, shape):
    if 'weight' not in g:
        raise Invalid(f'{where}: missing weight')
    w = np.asarray(g['weight'][()], dtype=np.float64)
    if tuple(w.shape) != tuple(shape):
        raise Invalid(f'{where}/weight: expected shape {tuple(shape)}, got {tuple(w.shape)}')
    if not np.all(w == np.round(w)):
        raise Invalid(f'{where}/weight: expected integers (netx reads weights with astype(int))')
    if w.size and (w.max() > 254 or w.min() < -256):
        raise Invalid(f'{where}/weight: values {w.min():.0f}..{w.max():.0f} outside Loihi\'s [-256, 254]')
    return w.astype(np.int64)


def neuron(g, where):
    if 'neuron' not in g:
        raise Invalid(f'{where}: missing neuron')
    n = g['neuron']
    kind = text(n, 'type', f'{where}/neuron')
    if kind not in ('CUBA', 'LOIHI'):
        raise Invalid(f'{where}/neuron/type: expected CUBA, got {kind}')
    out = {k: scalar(n, k, f'{where}/neuron') for k in ('iDecay', 'vDecay', 'vThMant')}
    for k in ('iDecay', 'vDecay'):
        if not 0 <= out[k] <= DECAY_UNIT:
            raise Invalid(f'{where}/neuron/{k}: expected 0..{DECAY_UNIT}, got {out[k]}')
    if not 0 <= out['vThMant'] < VTH_MANT_LIMIT:
        raise Invalid(f'{where}/neuron/vThMant: expected 0..{VTH_MANT_LIMIT - 1}, got {out["vThMant"]}')
    return out


def conv_out(n, k, s, p, d):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


def read(path):
    layers = []
    with h5py.File(path, 'r') as f:
        if 'layer' not in f:
            raise Invalid('missing the top-level layer group')
        keys = sorted(f['layer'].keys(), key=lambda k: int(k) if k.isdigit() else -1)
        if keys != [str(i) for i in range(len(keys))]:
            raise Invalid(f'layer ids must be 0..n-1, got {keys}')
        prev = None
        for k in keys:
            g = f['layer'][k]
            where = f'layer/{k}'
            kind = text(g, 'type', where)
            shape = tuple(int(x) for x in np.asarray(g['shape'][()]).reshape(-1)) if 'shape' in g else None
            if shape is None:
                raise Invalid(f'{where}: missing shape')
            L = {'type': kind, 'shape': shape}
            if k == '0' and kind != 'input':
                raise Invalid(f'{where}: expected the input layer first, got {kind}')
            if kind == 'input':
                pass
            elif kind == 'flatten':
                if int(np.prod(shape)) != int(np.prod(prev)):
                    raise Invalid(f'{where}: flattens {prev} into {shape}')
            elif kind == 'conv':
                cin, cout, groups = scalar(g, 'inChannels', where), scalar(g, 'outChannels', where), scalar(g, 'groups', where)
                kh, kw = pair(g, 'kernelSize', where)
                s, p, d = pair(g, 'stride', where), pair(g, 'padding', where), pair(g, 'dilation', where)
                if len(prev) != 3 or prev[0] != cin:
                    raise Invalid(f'{where}: inChannels {cin} does not match the previous layer\'s shape {prev}')
                expect = (cout, conv_out(prev[1], kh, s[0], p[0], d[0]), conv_out(prev[2], kw, s[1], p[1], d[1]))
                if shape != expect:
                    raise Invalid(f'{where}: shape {shape}, expected {expect} from {prev} through the kernel')
                L.update(weight=integer_weight(g, where, (cout, cin // groups, kh, kw)), stride=s, padding=p, dilation=d, groups=groups, neuron=neuron(g, where))
            elif kind == 'dense':
                fin, fout = scalar(g, 'inFeatures', where), scalar(g, 'outFeatures', where)
                if fin != int(np.prod(prev)):
                    raise Invalid(f'{where}: inFeatures {fin}, expected {int(np.prod(prev))} (the previous layer\'s size)')
                if shape != (fout,):
                    raise Invalid(f'{where}: shape {shape}, expected ({fout},)')
                L.update(weight=integer_weight(g, where, (fout, fin)), neuron=neuron(g, where))
            else:
                raise Invalid(f'{where}: type {kind} is not one netx loads (input, conv, dense, flatten)')
            if 'bias' in g:
                b = np.asarray(g['bias'][()], dtype=np.float64).reshape(-1)
                if b.size != shape[0] or not np.all(b == np.round(b)):
                    raise Invalid(f'{where}/bias: expected {shape[0]} integers, got {b.size} values')
                L['bias'] = b.astype(np.int64)
            layers.append(L)
            prev = shape
        T = int(np.asarray(f['simulation']['tSample'][()])) if 'simulation' in f and 'tSample' in f['simulation'] else None
    return layers, T


def conv2d(x, w, s, p, d, groups):
    c, h, wd = x.shape
    cout, cing, kh, kw = w.shape
    xp = np.zeros((c, h + 2 * p[0], wd + 2 * p[1]), dtype=np.int64)
    xp[:, p[0]:p[0] + h, p[1]:p[1] + wd] = x
    ho, wo = conv_out(h, kh, s[0], p[0], d[0]), conv_out(wd, kw, s[1], p[1], d[1])
    out = np.zeros((cout, ho, wo), dtype=np.int64)
    per = cout // groups
    for gi in range(groups):
        xs = xp[gi * cing:(gi + 1) * cing]
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, i * d[0]:i * d[0] + s[0] * (ho - 1) + 1:s[0], j * d[1]:j * d[1] + s[1] * (wo - 1) + 1:s[1]]
                out[gi * per:(gi + 1) * per] += np.einsum('oc,chw->ohw', w[gi * per:(gi + 1) * per, :, i, j], patch)
    return out


def decay(x, d):
    y = x * (DECAY_UNIT - d)
    return np.sign(y) * (np.abs(y) >> 12)


def run(layers, inputs):
    syn = [L for L in layers if L['type'] in ('conv', 'dense')]
    spikes = [0] * len(layers)
    predictions, readouts = [], []
    for sample in inputs:
        u = {i: 0 for i, L in enumerate(layers)}
        v = {i: 0 for i, L in enumerate(layers)}
        for frame in sample:
            x = np.asarray(frame, dtype=np.int64).reshape(layers[0]['shape'])
            for i, L in enumerate(layers[1:], start=1):
                if L['type'] == 'flatten':
                    x = x.reshape(-1)
                    continue
                n = L['neuron']
                a = conv2d(x, L['weight'], L['stride'], L['padding'], L['dilation'], L['groups']) if L['type'] == 'conv' else L['weight'] @ x.reshape(-1)
                a = a * 64
                bias = (L['bias'] * 64).reshape((-1,) + (1,) * (a.ndim - 1)) if 'bias' in L else 0
                u[i] = decay(u[i] if isinstance(u[i], np.ndarray) else np.zeros_like(a), n['iDecay']) + a
                v[i] = decay(v[i] if isinstance(v[i], np.ndarray) else np.zeros_like(a), n['vDecay']) + u[i] + bias
                s = v[i] > n['vThMant'] * 64
                v[i] = np.where(s, 0, v[i])
                spikes[i] += int(s.sum())
                x = s.astype(np.int64)
        last = len(layers) - 1
        readouts.append((v[last] if isinstance(v[last], np.ndarray) else np.zeros(1)).reshape(-1).tolist())
        predictions.append(int(np.argmax(v[last])))
    return {'predictions': predictions, 'spikes': spikes, 'readout': readouts}


def main(argv):
    if len(argv) < 2:
        print('usage: netx_check.py FILE.net [--run < inputs.json]', file=sys.stderr)
        return 2
    try:
        layers, T = read(argv[1])
    except Invalid as e:
        print(f'netx_check: {argv[1]}: {e}', file=sys.stderr)
        return 1
    if '--run' in argv:
        inputs = json.load(sys.stdin)['inputs']
        print(json.dumps(run(layers, inputs)))
    else:
        print(json.dumps({'layers': [L['type'] for L in layers], 'shapes': [L['shape'] for L in layers], 'tSample': T}))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
