#!/usr/bin/env python3
"""PyTorch reference vectors for the zoo architectures of issue 21 (SEW-ResNet, MS-ResNet, spiking
VGG, Spikformer), written from the papers' equations, not from DeepSpike's code.

    /usr/bin/python3 tools/arch-reference/arch_vectors.py   # writes packages/codegen/test/data/arch/*.json

Each output file holds, per case: a tiny model file (the DSL spec DeepSpike builds), every parameter
in DeepSpike's layout and names (conv kernels [kh, kw, cin, cout], linear [in, out], tdBN
lambda/beta), the input batch, the output of every top-level layer (channels last, [T, N, ...]),
the logits and the gradient of sum(logits * R) for a fixed R with respect to every trainable
parameter. Computed in float64 in training mode (batch statistics), so CI compares its float32
results to these without torch.

Equations (the numerics contract of docs/ and the papers):
- LIF (STBP, Wu et al. 2018): u[t] = tau*u[t-1]*(1-o[t-1]) + x[t], o[t] = H(u[t]-Vth), H(0)=1;
  surrogate do/du = (1/a)*1(|u-Vth| < a/2); the reset term is detached when detachReset.
- tdBN (Zheng et al. 2021): y = lambda*(alpha*Vth*(x-mean)/sqrt(var+eps)) + beta over (T,N,H,W),
  biased variance; plain BN ("bn"): y = lambda*(x-mean)/sqrt(var+eps) + beta.
- SEW block (Fang et al. 2021, Eq. 4, Table 1): A = SN(BN(conv(SN(BN(conv(x)))))),
  S = x or SN(BN(conv1x1(x))), out = g(A,S): ADD A+S, AND A*S, IAND (1-A)*S.
- MS block (Hu et al., Fig. 2c): out = BN(conv(SN(BN(conv(SN(x)))))) + shortcut(x), shortcut the
  identity or BN(conv1x1(x)) on the real-valued input.
- Spikformer (Zhou et al. 2023, Eqs. 11-20): SPS conv-BN-SN stages (max pools after the last two),
  relative position embedding x + SN(BN(conv3x3(x))); SSA: Q,K,V = SN(BN(XW)), per head
  SN_attn(Q K^T V * s), then SN(BN(Linear(.))); MLP SN(BN(Linear(SN(BN(Linear(x)))))); block
  X' = X + SSA(X), X'' = X' + MLP(X'). Linear maps are per token (1x1 convs), BN over (T, N, tokens).
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
from torch_spike import Rect as Spike  # noqa: E402

torch.set_default_dtype(torch.float64)
OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'packages', 'codegen', 'test', 'data', 'arch')


def lif(x, vth, tau, a=1.0, detach_reset=False):
    """x [T, N, ...] currents -> spikes (STBP LIF, u[-1] = o[-1] = 0)."""
    u = torch.zeros_like(x[0])
    o = torch.zeros_like(x[0])
    out = []
    for t in range(x.shape[0]):
        keep = 1 - (o.detach() if detach_reset else o)
        u = tau * u * keep + x[t]
        o = Spike.apply(u - vth, a)
        out.append(o)
    return torch.stack(out)


class Params:
    """Parameters by DeepSpike name, created from a seeded generator in DeepSpike's layout."""

    def __init__(self, seed):
        self.g = torch.Generator().manual_seed(seed)
        self.p = {}

    def new(self, name, shape, scale, offset=0.0):
        t = (torch.rand(shape, generator=self.g) * 2 - 1) * scale + offset
        t.requires_grad_(True)
        self.p[name] = t
        return t


def conv(x, k, stride, pad):
    """x [T, N, H, W, C] (channels last), k [kh, kw, cin, cout] -> [T, N, H', W', cout]."""
    t, n = x.shape[:2]
    xi = x.reshape(t * n, *x.shape[2:]).permute(0, 3, 1, 2)
    y = F.conv2d(xi, k.permute(3, 2, 0, 1), stride=stride, padding=pad)
    y = y.permute(0, 2, 3, 1)
    return y.reshape(t, n, *y.shape[1:])


def norm(x, lam, beta, alpha, vth, kind, eps=1e-5):
    """tdBN / BN per channel (last axis) over every other axis, biased variance."""
    dims = tuple(range(x.dim() - 1))
    mean = x.mean(dims)
    var = x.var(dims, unbiased=False)
    xh = (x - mean) / torch.sqrt(var + eps)
    gain = alpha * vth if kind == 'tdbn' else 1.0
    return lam * (gain * xh) + beta


def pool2d(x, mode, size, stride, pad_same=False, pad=0):
    t, n = x.shape[:2]
    xi = x.reshape(t * n, *x.shape[2:]).permute(0, 3, 1, 2)
    if pad:
        xi = F.pad(xi, (pad, pad, pad, pad), value=-math.inf if mode == 'max' else 0.0)
    if pad_same:
        h = xi.shape[2]
        out = math.ceil(h / stride)
        total = max((out - 1) * stride + size - h, 0)
        lo, hi = total // 2, total - total // 2
        xi = F.pad(xi, (lo, hi, lo, hi), value=-math.inf if mode == 'max' else 0.0)
    y = F.max_pool2d(xi, size, stride) if mode == 'max' else F.avg_pool2d(xi, size, stride)
    y = y.permute(0, 2, 3, 1)
    return y.reshape(t, n, *y.shape[1:])


class Net:
    """A small interpreter of the top-level layers of the test specs, each written from its equation."""

    def __init__(self, spec, seed):
        self.spec = spec
        self.P = Params(seed)
        d = spec['defaults']
        self.vth = d['neuron']['vth']
        self.tau = d['neuron']['tau']
        self.detach = d['neuron'].get('detachReset', False)
        self.norm_kind = d['norm']['kind']
        self.T = spec['timesteps']
        self.layers = []
        shape = list(spec['input']['shape'])
        for l in spec['layers']:
            shape = self.make(l, shape)

    # --- parameter helpers -------------------------------------------------------------------
    def conv_p(self, name, k, cin, cout):
        return self.P.new(f'{name}.kernel', (k, k, cin, cout), math.sqrt(3.0 / (k * k * cin)) * 1.6)

    def norm_p(self, name, c):
        return (self.P.new(f'{name}.lambda', (c,), 0.3, 1.0), self.P.new(f'{name}.beta', (c,), 0.2, 0.0))

    def sn(self, x, vth=None):
        return lif(x, self.vth if vth is None else vth, self.tau, 1.0, self.detach)

    def nrm(self, x, p, alpha=1.0):
        return norm(x, p[0], p[1], alpha, self.vth, self.norm_kind)

    # --- layers -------------------------------------------------------------------------------
    def make(self, l, shape):
        name, ty = l['name'], l['type']
        if ty == 'conv2d':
            k, s, pad = l['kernel'], l.get('stride', 1), l['padding']
            w = self.conv_p(name, k, shape[2], l['filters'])
            self.layers.append((name, lambda x: conv(x, w, s, pad)))
            h = (shape[0] + 2 * pad - k) // s + 1
            return [h, h, l['filters']]
        if ty == 'norm':
            p = self.norm_p(name, shape[-1])
            a = l.get('alpha', 1.0)
            self.layers.append((name, lambda x: self.nrm(x, p, a)))
            return shape
        if ty == 'neuron':
            self.layers.append((name, lambda x: self.sn(x)))
            return shape
        if ty == 'pool':
            mode, size = l['mode'], l['size']
            stride = l.get('stride', size)
            same = l.get('padding', 'valid') == 'same'
            self.layers.append((name, lambda x: pool2d(x, mode, size, stride, same)))
            h = math.ceil(shape[0] / stride) if same else (shape[0] - size) // stride + 1
            return [h, h, shape[2]]
        if ty == 'globalAvgPool':
            self.layers.append((name, lambda x: x.mean((2, 3))))
            return [shape[2]]
        if ty == 'flatten':
            self.layers.append((name, lambda x: x.reshape(x.shape[0], x.shape[1], -1)))
            return [shape[0] * shape[1] * shape[2]]
        if ty == 'linear':
            w = self.P.new(f'{name}.kernel', (shape[0], l['units']), math.sqrt(3.0 / shape[0]))
            b = self.P.new(f'{name}.bias', (l['units'],), 0.1)
            self.layers.append((name, lambda x: x @ w + b))
            return [l['units']]
        if ty == 'residual' and l['block'] == 'sew':
            return self.sew(l, shape)
        if ty == 'residual' and l['block'] == 'ms':
            return self.ms(l, shape)
        if ty == 'spikformerPatchSplit':
            return self.sps(l, shape)
        if ty == 'spikformerBlock':
            return self.spikformer_block(l, shape)
        raise ValueError(f'unknown layer {ty}')

    def sew(self, l, shape):
        name, cin, c, s = l['name'], shape[2], l['filters'], l.get('stride', 1)
        fn = l.get('connect', 'add')
        w1, n1 = self.conv_p(f'{name}.conv1', 3, cin, c), self.norm_p(f'{name}.norm1', c)
        w2, n2 = self.conv_p(f'{name}.conv2', 3, c, c), self.norm_p(f'{name}.norm2', c)
        proj = l.get('shortcut', 'identity') == 'projection'
        if proj:
            ws, ns = self.conv_p(f'{name}.shortcutConv', 1, cin, c), self.norm_p(f'{name}.shortcutNorm', c)

        def f(x):
            a = self.sn(self.nrm(conv(self.sn(self.nrm(conv(x, w1, s, 1), n1)), w2, 1, 1), n2))
            sc = self.sn(self.nrm(conv(x, ws, s, 0), ns)) if proj else x
            if fn == 'add':
                return a + sc
            if fn == 'and':
                return a * sc
            return (1 - a) * sc

        self.layers.append((name, f))
        h = (shape[0] + 2 - 3) // s + 1
        return [h, h, c]

    def ms(self, l, shape):
        name, cin, c, s = l['name'], shape[2], l['filters'], l.get('stride', 1)
        alpha = l.get('alpha', 1 / math.sqrt(2))
        w1, n1 = self.conv_p(f'{name}.conv1', 3, cin, c), self.norm_p(f'{name}.norm1', c)
        w2, n2 = self.conv_p(f'{name}.conv2', 3, c, c), self.norm_p(f'{name}.norm2', c)
        proj = l.get('shortcut', 'identity') == 'projection'
        if proj:
            ws, ns = self.conv_p(f'{name}.shortcutConv', 1, cin, c), self.norm_p(f'{name}.shortcutNorm', c)

        def f(x):
            h = self.nrm(conv(self.sn(self.nrm(conv(self.sn(x), w1, s, 1), n1)), w2, 1, 1), n2, alpha)
            return h + (self.nrm(conv(x, ws, s, 0), ns, alpha) if proj else x)

        self.layers.append((name, f))
        h = (shape[0] + 2 - 3) // s + 1
        return [h, h, c]

    def sps(self, l, shape):
        """Spiking patch splitting (Spikformer's SPS, CIFAR layout): 4 conv3x3-BN-SN stages to
        embed/8, /4, /2, /1 channels (max pool 3/2 after the SN of the last `pools` stages), then the
        relative position embedding x + SN(BN(conv3x3(x)))."""
        name, e, pools = l['name'], l['embed'], l.get('pools', 2)
        chans = [e // 8, e // 4, e // 2, e]
        ps = []
        cin = shape[2]
        for i, c in enumerate(chans):
            ps.append((self.conv_p(f'{name}.conv{i + 1}', 3, cin, c), self.norm_p(f'{name}.norm{i + 1}', c)))
            cin = c
        rw, rn = self.conv_p(f'{name}.rpeConv', 3, e, e), self.norm_p(f'{name}.rpeNorm', e)

        def f(x):
            for i, (w, n) in enumerate(ps):
                x = self.sn(self.nrm(conv(x, w, 1, 1), n))
                if i >= len(ps) - pools:
                    x = pool2d(x, 'max', 3, 2, pad=1)  # nn.MaxPool2d(3, 2, 1)
            return x + self.sn(self.nrm(conv(x, rw, 1, 1), rn))

        self.layers.append((name, f))
        h = shape[0]
        for _ in range(pools):
            h = (h + 2 - 3) // 2 + 1
        return [h, h, e]

    def spikformer_block(self, l, shape):
        name, d = l['name'], shape[2]
        heads, ratio = l['heads'], l.get('mlpRatio', 4)
        scale = l.get('scale', 0.125)
        attn_vth = l.get('attentionVth', self.vth / 2)
        hidden = d * ratio
        lin = lambda n, cin, cout: (self.conv_p(f'{name}.{n}', 1, cin, cout), self.norm_p(f'{name}.{n}Norm', cout))
        q, k, v = lin('attention.q', d, d), lin('attention.k', d, d), lin('attention.v', d, d)
        proj = lin('attention.proj', d, d)
        fc1, fc2 = lin('mlp.fc1', d, hidden), lin('mlp.fc2', hidden, d)

        def lbs(x, p):
            return self.sn(self.nrm(conv(x, p[0], 1, 0), p[1]))

        def ssa(x):
            t, n, h, w, _ = x.shape
            tok = lambda z: z.reshape(t, n, h * w, heads, d // heads).permute(0, 1, 3, 2, 4)  # [T,N,heads,L,dh]
            Q, K, V = tok(lbs(x, q)), tok(lbs(x, k)), tok(lbs(x, v))
            att = (Q @ K.transpose(-2, -1)) @ V * scale
            att = att.permute(0, 1, 3, 2, 4).reshape(t, n, h, w, d)
            att = lif(att, attn_vth, self.tau, 1.0, self.detach)
            return lbs(att, proj)

        def f(x):
            x = x + ssa(x)
            return x + lbs(lbs(x, fc1), fc2)

        self.layers.append((name, f))
        return shape

    def forward(self, x):
        """x [N, H, W, C] -> (per-layer outputs, logits [N, classes]); direct encoding repeats x over T."""
        h = x.unsqueeze(0).expand(self.T, *x.shape)
        outs = {}
        for name, f in self.layers:
            h = f(h)
            outs[name] = h
        return outs, h.mean(0)


def flat(t):
    return [float('%.9g' % v) for v in t.detach().reshape(-1).tolist()]


def case(spec, seed, batch=2):
    net = Net(spec, seed)
    g = torch.Generator().manual_seed(seed + 1000)
    x = torch.rand((batch, *spec['input']['shape']), generator=g)
    outs, logits = net.forward(x)
    r = torch.rand(logits.shape, generator=g) * 2 - 1
    loss = (logits * r).sum()
    params = list(net.P.p.items())
    grads = torch.autograd.grad(loss, [p for _, p in params], allow_unused=True)
    spikes = {n: float(o.mean()) for n, o in outs.items()}
    return {
        'spec': spec,
        'params': {n: {'shape': list(p.shape), 'data': flat(p)} for n, p in params},
        'input': {'shape': list(x.shape), 'data': flat(x)},
        'layers': {n: {'shape': list(o.shape), 'data': flat(o), 'mean': spikes[n]} for n, o in outs.items()},
        'logits': {'shape': list(logits.shape), 'data': flat(logits)},
        'r': {'shape': list(r.shape), 'data': flat(r)},
        'grads': {n: {'shape': list(p.shape), 'data': flat(gr if gr is not None else torch.zeros_like(p))} for (n, p), gr in zip(params, grads)},
    }


def base_spec(name, shape, layers, norm='tdbn', vth=0.5, tau=0.25, detach=False, timesteps=2):
    return {
        'name': name,
        'input': {'shape': shape, 'encoding': 'direct'},
        'timesteps': timesteps,
        'defaults': {
            'neuron': {'kind': 'lif', 'vth': vth, 'tau': tau, 'surrogate': {'name': 'rect', 'params': {'alpha': 1}}, 'detachReset': detach},
            'norm': {'kind': norm, 'epsilon': 1e-05, 'momentum': 0.1},
        },
        'layers': layers,
        'readout': 'membrane',
    }


def sew_cases():
    out = {}
    for fn in ['add', 'and', 'iand']:
        layers = [
            {'type': 'conv2d', 'name': 'stem', 'filters': 4, 'kernel': 3, 'stride': 1, 'padding': 1},
            {'type': 'norm', 'name': 'stemNorm'},
            {'type': 'neuron', 'name': 'stemLif'},
            {'type': 'residual', 'name': 'block1', 'block': 'sew', 'connect': fn, 'filters': 4},
            {'type': 'residual', 'name': 'block2', 'block': 'sew', 'connect': fn, 'filters': 6, 'stride': 2, 'shortcut': 'projection'},
            {'type': 'globalAvgPool', 'name': 'pool'},
            {'type': 'linear', 'name': 'fc', 'units': 3},
        ]
        out[fn] = case(base_spec(f'sew-{fn}-tiny', [6, 6, 2], layers), 21 + len(out))
    return out


def ms_cases():
    layers = [
        {'type': 'conv2d', 'name': 'stem', 'filters': 4, 'kernel': 3, 'stride': 1, 'padding': 1},
        {'type': 'norm', 'name': 'stemNorm'},
        {'type': 'residual', 'name': 'block1', 'block': 'ms', 'filters': 4},
        {'type': 'residual', 'name': 'block2', 'block': 'ms', 'filters': 6, 'stride': 2, 'shortcut': 'projection'},
        {'type': 'neuron', 'name': 'lastLif'},
        {'type': 'globalAvgPool', 'name': 'pool'},
        {'type': 'linear', 'name': 'fc', 'units': 3},
    ]
    return {'ms': case(base_spec('ms-tiny', [6, 6, 2], layers), 31)}


def vgg_cases():
    layers = []
    for i, (c, pool) in enumerate([(4, True), (6, True), (8, False), (8, True)]):
        layers += [
            {'type': 'conv2d', 'name': f'conv{i + 1}', 'filters': c, 'kernel': 3, 'stride': 1, 'padding': 1},
            {'type': 'norm', 'name': f'norm{i + 1}'},
            {'type': 'neuron', 'name': f'lif{i + 1}'},
        ]
        if pool:
            layers.append({'type': 'pool', 'name': f'pool{i + 1}', 'mode': 'avg', 'size': 2})
    layers += [{'type': 'flatten', 'name': 'flatten'}, {'type': 'linear', 'name': 'fc', 'units': 3}]
    return {'vgg': case(base_spec('vgg-tiny', [16, 16, 2], layers), 41)}


def spikformer_cases():
    layers = [
        {'type': 'spikformerPatchSplit', 'name': 'patches', 'embed': 16, 'pools': 2},
        {'type': 'spikformerBlock', 'name': 'block1', 'heads': 2, 'mlpRatio': 2},
        {'type': 'globalAvgPool', 'name': 'pool'},
        {'type': 'linear', 'name': 'head', 'units': 3},
    ]
    spec = base_spec('spikformer-tiny', [8, 8, 2], layers, norm='bn', vth=1.0, tau=0.5, detach=True)
    return {'spikformer': case(spec, 51)}


def main():
    os.makedirs(OUT, exist_ok=True)
    meta = {'generator': 'tools/arch-reference/arch_vectors.py', 'torch': torch.__version__, 'dtype': 'float64'}
    for fname, make in [('sew.json', sew_cases), ('ms.json', ms_cases), ('vgg.json', vgg_cases), ('spikformer.json', spikformer_cases)]:
        data = {'meta': meta, 'cases': make()}
        with open(os.path.join(OUT, fname), 'w') as f:
            json.dump(data, f, separators=(',', ':'))
            f.write('\n')
        for n, c in data['cases'].items():
            rates = ', '.join(f"{k}={v['mean']:.3f}" for k, v in c['layers'].items())
            print(f'{fname} {n}: {rates}')


if __name__ == '__main__':
    main()
