"""The spike functions of the PyTorch reference scripts (tools/golden_neurons.py, tools/arch-reference):
H(v) forward with a surrogate derivative backward, written from the papers, not from DeepSpike's code."""
import math

import torch


class Rect(torch.autograd.Function):
    """H(v) forward; (1/a)*1(|v| < a/2) backward (the STBP rectangle, v = u - vth)."""

    @staticmethod
    def forward(ctx, v, a):
        ctx.save_for_backward(v)
        ctx.a = a
        return (v >= 0).to(v.dtype)

    @staticmethod
    def backward(ctx, g):
        (v,) = ctx.saved_tensors
        return g * (v.abs() < ctx.a / 2).to(g.dtype) / ctx.a, None


class ATan(torch.autograd.Function):
    """SpikingJelly's ATan surrogate (PSN's default): H(v) forward; (alpha/2)/(1 + (pi/2*alpha*v)^2) backward."""

    @staticmethod
    def forward(ctx, v, alpha):
        ctx.save_for_backward(v)
        ctx.alpha = alpha
        return (v >= 0).to(v.dtype)

    @staticmethod
    def backward(ctx, g):
        (v,) = ctx.saved_tensors
        a = ctx.alpha
        return g * (a / 2) / (1 + (math.pi / 2 * a * v) ** 2), None
