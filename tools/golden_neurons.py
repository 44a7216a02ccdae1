#!/usr/bin/env python3
"""Golden vectors for the Alpha, Lapicque and PSN neurons and for MPBN, written from the equations.

Run with Debian's interpreter (it has python3-torch):  /usr/bin/python3 tools/golden_neurons.py
It rewrites testdata/neurons/*.json deterministically (CPU, float32, 1 thread). The formulations are
our own PyTorch code from the papers' and libraries' equations (snnTorch Alpha/Lapicque docs,
Fang et al. NeurIPS 2023 for PSN, Guo et al. ICCV 2023 for MPBN); see testdata/neurons/README.md.
Encoding as testdata/golden: {"shape": [...], "data": [...]} flat row-major float32, shortest
round-trip decimals; spikes 0/1.
"""
import json
import math
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(__file__))
from torch_spike import ATan, Rect  # noqa: E402

torch.set_num_threads(1)
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'testdata', 'neurons')


def enc(t):
    a = t.detach().to(torch.float32).contiguous().numpy()
    return {'shape': list(a.shape), 'data': [float(str(np.float32(v))) for v in a.reshape(-1)]}


def f32(x):
    return float(np.float32(x))


def spike(v, a=1.0):
    return Rect.apply(v, a)


def margins(u, vth, a=1.0):
    d = (u - vth).abs()
    return float(d.min()), float((d - a / 2).abs().min())


def alpha_neuron(x, vth, alpha, beta, detach):
    """snnTorch Alpha with reset to zero: e = (alpha*e + x)(1-o), i = (beta*i - x)(1-o), u = tau_a*(e+i)."""
    tau_a = f32(math.log(f32(alpha)) / (math.log(f32(beta)) - math.log(f32(alpha))) + 1)
    os_, us = [], []
    e = i = o = None
    for t in range(x.shape[0]):
        if e is None:
            e, i = x[t].clone(), -x[t]
        else:
            keep = 1 - (o.detach() if detach else o)
            e = (alpha * e + x[t]) * keep
            i = (beta * i - x[t]) * keep
        u = tau_a * (e + i)
        o = spike(u - vth)
        os_.append(o)
        us.append(u)
    return torch.stack(os_), torch.stack(us), tau_a


def lapicque(x, vth, R, C, dt, reset, detach):
    """snnTorch Lapicque, Euler RC circuit: k = 1 - dt/(R*C), g = dt/C."""
    k, g = f32(1 - dt / (R * C)), f32(dt / C)
    os_, us = [], []
    u = o = None
    for t in range(x.shape[0]):
        if u is None:
            u = g * x[t]
        else:
            oo = o.detach() if detach else o
            u = (k * u + g * x[t] - vth * oo) if reset == 'subtract' else (k * u * (1 - oo) + g * x[t])
        o = spike(u - vth)
        os_.append(o)
        us.append(u)
    return torch.stack(os_), torch.stack(us), k, g


def psn(x, w, b, vth):
    """Fang et al. 2023: H = W X + B over T (X as [T, M]), S = H(H - vth)."""
    T = x.shape[0]
    h = (w @ x.reshape(T, -1) + b.reshape(T, 1)).reshape(x.shape)
    return spike(h - vth), h


def draw(gen, shape, scale, shift):
    return torch.randn(*shape, generator=gen) * scale + shift


def neuron_case(run, x, g, gh):
    xx = x.clone().requires_grad_(True)
    o, u = run(xx)[:2]
    loss = (o * g).sum() + (u * gh).sum()
    (gx,) = torch.autograd.grad(loss, xx)
    return o, u, gx


def find_seed(make, ok, start):
    for seed in range(start, start + 500):
        got = make(seed)
        if ok(got):
            return seed, got
    sys.exit('no seed gives margins >= 5e-4')


def alpha_file():
    shape = [6, 2, 4]
    cases_spec = [(0.6, 0.9, 0.8), (1.0, 0.7, 0.4)]

    def make(seed):
        gen = torch.Generator().manual_seed(seed)
        return draw(gen, shape, 1.5, 2.5), draw(gen, shape, 1, 0), draw(gen, shape, 0.3, 0)

    def ok(v):
        for vth, a, b in cases_spec:
            _, u, _ = alpha_neuron(v[0], f32(vth), f32(a), f32(b), False)
            if min(margins(u, f32(vth))) < 5e-4:
                return False
        return True

    seed, (x, g, gh) = find_seed(make, ok, 100)
    cases = []
    for vth, a, b in cases_spec:
        for detach in (False, True):
            run = lambda xx: alpha_neuron(xx, f32(vth), f32(a), f32(b), detach)
            o, u, gx = neuron_case(run, x, g, gh)
            m = margins(u, f32(vth))
            cases.append({'vth': vth, 'alpha': a, 'beta': b, 'detach_reset': detach, 'tau_alpha': alpha_neuron(x, f32(vth), f32(a), f32(b), False)[2],
                          'o': enc(o), 'u': enc(u), 'grad_x': enc(gx), 'spike_rate': float(o.mean()),
                          'min_abs_u_minus_vth': m[0], 'min_dist_to_window_edge': m[1]})
    return {'seed': seed, 'loss': 'L = sum(o*g) + sum(u*gu)', 'x': enc(x), 'g': enc(g), 'gu': enc(gh), 'cases': cases}


def lapicque_file():
    shape = [6, 2, 4]
    spec = [(0.5, 2.0, 1.5, 1.0), (0.3, 1.0, 4.0, 0.5)]

    def make(seed):
        gen = torch.Generator().manual_seed(seed)
        return draw(gen, shape, 0.8, 0.6), draw(gen, shape, 1, 0), draw(gen, shape, 0.3, 0)

    def ok(v):
        for vth, R, C, dt in spec:
            for reset in ('subtract', 'zero'):
                _, u, _, _ = lapicque(v[0], f32(vth), R, C, dt, reset, False)
                if min(margins(u, f32(vth))) < 5e-4:
                    return False
        return True

    seed, (x, g, gh) = find_seed(make, ok, 200)
    cases = []
    for vth, R, C, dt in spec:
        for reset in ('subtract', 'zero'):
            for detach in (False, True):
                run = lambda xx: lapicque(xx, f32(vth), R, C, dt, reset, detach)
                o, u, gx = neuron_case(run, x, g, gh)
                _, _, k, gain = lapicque(x, f32(vth), R, C, dt, reset, False)
                m = margins(u, f32(vth))
                cases.append({'vth': vth, 'resistance': R, 'capacitance': C, 'time_step': dt, 'reset': reset, 'detach_reset': detach, 'k': k, 'gain': gain,
                              'o': enc(o), 'u': enc(u), 'grad_x': enc(gx), 'spike_rate': float(o.mean()),
                              'min_abs_u_minus_vth': m[0], 'min_dist_to_window_edge': m[1]})
    return {'seed': seed, 'loss': 'L = sum(o*g) + sum(u*gu)', 'x': enc(x), 'g': enc(g), 'gu': enc(gh), 'cases': cases}


def psn_file():
    T, shape = 5, [5, 2, 3]
    vth = 1.0

    def make(seed):
        gen = torch.Generator().manual_seed(seed)
        bound = 1 / math.sqrt(T)
        w = (torch.rand(T, T, generator=gen) * 2 - 1) * bound + torch.eye(T) * 0.5
        b = torch.randn(T, generator=gen) * 0.2
        return draw(gen, shape, 1.0, 0.8), w, b, draw(gen, shape, 1, 0), draw(gen, shape, 0.3, 0)

    def ok(v):
        _, h = psn(v[0], v[1], v[2], f32(vth))
        return min(margins(h, f32(vth))) >= 5e-4

    seed, (x, w, b, g, gh) = find_seed(make, ok, 300)
    xx, ww, bb = (t.clone().requires_grad_(True) for t in (x, w, b))
    o, h = psn(xx, ww, bb, f32(vth))
    loss = (o * g).sum() + (h * gh).sum()
    gx, gw, gb = torch.autograd.grad(loss, (xx, ww, bb))
    m = margins(h, f32(vth))
    xa, wa, ba = (t.clone().requires_grad_(True) for t in (x, w, b))
    ha = (wa @ xa.reshape(T, -1) + ba.reshape(T, 1)).reshape(x.shape)
    oa = ATan.apply(ha - f32(vth), 2.0)
    gxa, gwa, gba = torch.autograd.grad((oa * g).sum() + (ha * gh).sum(), (xa, wa, ba))
    atan = {'alpha': 2.0, 'o': enc(oa), 'grad_x': enc(gxa), 'grad_weight': enc(gwa), 'grad_bias': enc(gba)}
    return {'seed': seed, 'T': T, 'vth': vth, 'atan': atan, 'loss': 'L = sum(o*g) + sum(h*gu)', 'x': enc(x), 'weight': enc(w), 'bias': enc(b), 'g': enc(g), 'gu': enc(gh),
            'o': enc(o), 'h': enc(h), 'grad_x': enc(gx), 'grad_weight': enc(gw), 'grad_bias': enc(gb), 'spike_rate': float(o.mean()),
            'min_abs_h_minus_vth': m[0], 'min_dist_to_window_edge': m[1]}


def mpbn_lif(x, lam, beta, vth, tau, eps, running=None, momentum=0.1):
    """Guo et al. 2023: u = tau*u*(1-o) + x; uhat = lam*(u - mu)/sqrt(var + eps) + beta; o = H(uhat - vth).
    Channels last; training statistics per step over every axis but the last (biased variance); the
    running statistics are updated once per step (momentum, unbiased variance), as a BN module called
    at every step of the neuron."""
    T = x.shape[0]
    axes = tuple(range(x.dim() - 2))
    os_, us, uhs = [], [], []
    rm, rv = torch.zeros(x.shape[-1]), torch.ones(x.shape[-1])
    n = x[0].numel() // x.shape[-1]
    u = o = None
    for t in range(T):
        u = x[t].clone() if u is None else tau * u * (1 - o) + x[t]
        if running is None:
            mu = u.mean(dim=axes)
            var = u.var(dim=axes, unbiased=False)
            rm = (1 - momentum) * rm + momentum * mu.detach()
            rv = (1 - momentum) * rv + momentum * var.detach() * n / (n - 1)
        else:
            mu, var = running
        uhat = (u - mu) / torch.sqrt(var + eps) * lam + beta
        o = spike(uhat - vth)
        os_.append(o)
        us.append(u)
        uhs.append(uhat)
    return torch.stack(os_), torch.stack(us), torch.stack(uhs), rm, rv


def mpbn_file():
    shape = [4, 3, 2, 2, 3]
    vth, tau, eps = 0.5, 0.5, 1e-5

    def make(seed):
        gen = torch.Generator().manual_seed(seed)
        x = draw(gen, shape, 0.8, 0.5)
        lam = torch.rand(3, generator=gen) * 0.8 + 0.7
        beta = torch.randn(3, generator=gen) * 0.2
        return x, lam, beta, draw(gen, shape, 1, 0), draw(gen, shape, 0.3, 0)

    def ok(v):
        x, lam, beta = v[0], v[1], v[2]
        _, _, uh, rm, rv = mpbn_lif(x, lam, beta, f32(vth), f32(tau), eps)
        _, _, uhe, _, _ = mpbn_lif(x, lam, beta, f32(vth), f32(tau), eps, running=(rm, rv))
        return min(margins(uh, f32(vth))) >= 5e-4 and min(margins(uhe, f32(vth))) >= 5e-4

    seed, (x, lam, beta, g, gu) = find_seed(make, ok, 400)
    xx, ll, bb = (t.clone().requires_grad_(True) for t in (x, lam, beta))
    o, u, uh, rm, rv = mpbn_lif(xx, ll, bb, f32(vth), f32(tau), eps)
    loss = (o * g).sum() + (uh * gu).sum()
    gx, gl, gb = torch.autograd.grad(loss, (xx, ll, bb))
    oe, ue, uhe, _, _ = mpbn_lif(x, lam, beta, f32(vth), f32(tau), eps, running=(rm, rv))
    folded = (vth - beta) * torch.sqrt(rv + eps) / lam + rm
    m = margins(uh, f32(vth))
    return {'seed': seed, 'vth': vth, 'tau': tau, 'epsilon': eps, 'momentum': 0.1, 'detach_reset': False, 'loss': 'L = sum(o*g) + sum(uhat*gu)',
            'x': enc(x), 'lambda': enc(lam), 'beta': enc(beta), 'g': enc(g), 'gu': enc(gu),
            'train': {'o': enc(o), 'u': enc(u), 'uhat': enc(uh), 'grad_x': enc(gx), 'grad_lambda': enc(gl), 'grad_beta': enc(gb),
                      'running_mean': enc(rm), 'running_var': enc(rv), 'spike_rate': float(o.mean()), 'min_abs_uhat_minus_vth': m[0], 'min_dist_to_window_edge': m[1]},
            'eval': {'o': enc(oe), 'u': enc(ue), 'uhat': enc(uhe), 'folded_vth': enc(folded), 'spike_rate': float(oe.mean())}}


FILES = {'alpha.json': alpha_file, 'lapicque.json': lapicque_file, 'psn.json': psn_file, 'mpbn.json': mpbn_file}

if __name__ == '__main__':
    os.makedirs(OUT, exist_ok=True)
    extra = [m for m in sys.argv[1:]]
    for name, fn in FILES.items():
        if extra and name not in extra:
            continue
        data = fn()
        data['generator'] = {'script': 'tools/golden_neurons.py', 'torch': torch.__version__, 'numpy': np.__version__}
        with open(os.path.join(OUT, name), 'w') as f:
            json.dump(data, f, separators=(',', ':'))
            f.write('\n')
        print('wrote', name)
