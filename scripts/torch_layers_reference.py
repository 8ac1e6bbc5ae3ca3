#!/usr/bin/env python3
"""Writes TorchReference.swift: PyTorch's outputs and gradients for every NablaLayers layer and loss.

Run from the repository root:  python3 scripts/torch_layers_reference.py   (needs torch). Everything in float64.
Each case is a set of named tensors: `state.<key>` (the module's state dict, loaded into the Nabla
layer through load(stateDict:)), `input…`, `target…`, `out…` and `grad.<name>` (gradients of
sum(out * cot) for modules, of the mean-reduced loss for losses).
"""
import warnings
import torch, torch.nn as nn, torch.nn.functional as F
warnings.filterwarnings('ignore')

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
cases = {}

def randomize(m):
    with torch.no_grad():
        for name, p in m.named_parameters():
            p.copy_(torch.randn_like(p) * 0.7 + (1.0 if name.endswith('weight') and p.dim() == 1 else 0.0))
        for name, b in m.named_buffers():
            if name.endswith('running_mean'): b.copy_(torch.randn_like(b) * 0.3)
            if name.endswith('running_var'): b.copy_(torch.rand_like(b) + 0.5)
            if name.endswith('num_batches_tracked'): b.fill_(3)

def module_case(name, m, *inputs, train=True, randomize_params=True, extra=None):
    if randomize_params: randomize(m)
    d = {f'state.{k}': v.detach().clone() for k, v in m.state_dict().items()}
    m.train(train)
    ins = [x.clone().requires_grad_(x.is_floating_point()) for x in inputs]
    for i, x in enumerate(ins): d['input' if i == 0 else f'input{i}'] = x.detach().clone()
    out = m(*ins)
    cot = torch.randn_like(out)
    (out * cot).sum().backward()
    d['out'] = out.detach(); d['cot'] = cot
    for k, p in m.named_parameters(): d[f'grad.{k}'] = p.grad.detach().clone()
    for i, x in enumerate(ins):
        if x.is_floating_point(): d['grad.input' if i == 0 else f'grad.input{i}'] = x.grad.detach().clone()
    d.update({f'after.{k}': v.detach().clone() for k, v in m.state_dict().items() if 'running' in k or 'num_batches' in k})
    if extra: d.update(extra(m, inputs))
    cases[name] = d

x34 = torch.tensor([[-3.0, -0.5, 0.0, 0.25], [1.5, -1.25, 2.0, 30.0], [0.75, -20.0, 4.0, -0.1]])
module_case('linear', nn.Linear(3, 4), torch.randn(2, 3))
module_case('linear_nobias', nn.Linear(3, 2, bias=False), torch.randn(2, 5, 3))
module_case('bilinear', nn.Bilinear(3, 2, 4), torch.randn(5, 3), torch.randn(5, 2))
module_case('relu', nn.ReLU(), x34)
module_case('leaky_relu', nn.LeakyReLU(0.1), x34)
module_case('elu', nn.ELU(alpha=1.5), x34)
module_case('gelu', nn.GELU(), x34)
module_case('gelu_tanh', nn.GELU(approximate='tanh'), x34)
module_case('silu', nn.SiLU(), x34)
module_case('sigmoid', nn.Sigmoid(), x34)
module_case('tanh', nn.Tanh(), x34)
module_case('softplus', nn.Softplus(beta=2.0, threshold=3.0), x34)
module_case('softmax', nn.Softmax(dim=1), x34)
module_case('log_softmax', nn.LogSoftmax(dim=1), x34)
module_case('flatten', nn.Flatten(), torch.randn(2, 3, 2))
module_case('sequential', nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)), torch.randn(5, 3))
module_case('layer_norm', nn.LayerNorm(4), torch.randn(2, 3, 4) * 2 + 1)
module_case('layer_norm_2d', nn.LayerNorm([3, 4]), torch.randn(2, 3, 4) * 2 + 1)
module_case('group_norm', nn.GroupNorm(2, 4), torch.randn(2, 4, 3) * 2 + 1)
module_case('embedding', nn.Embedding(5, 3, padding_idx=1), torch.tensor([[0, 1, 4], [1, 3, 0]]))

def eval_after(m, inputs):
    m.eval()
    return {'eval_out': m(inputs[0]).detach()}
module_case('batch_norm_1d', nn.BatchNorm1d(3), torch.randn(5, 3) * 2 + 1, extra=eval_after)
module_case('batch_norm_1d_3d', nn.BatchNorm1d(3, momentum=None), torch.randn(4, 3, 2) * 2 + 1, extra=eval_after)
module_case('batch_norm_2d', nn.BatchNorm2d(3, momentum=0.3), torch.randn(2, 3, 2, 2) * 2 + 1, extra=eval_after)
module_case('batch_norm_1d_eval', nn.BatchNorm1d(3), torch.randn(5, 3) * 2 + 1, train=False)

def loss_case(name, f, inputs, targets, reductions=('mean', 'sum', 'none'), **kw):
    d = {}
    for i, x in enumerate(inputs): d['input' if i == 0 else f'input{i}'] = x.clone()
    for i, t in enumerate(targets): d['target' if i == 0 else f'target{i}'] = t.clone()
    for k, v in kw.items():
        if isinstance(v, torch.Tensor): d[f'arg.{k}'] = v
    for r in reductions:
        ins = [x.clone().requires_grad_() for x in inputs]
        out = f(*ins, *targets, reduction=r, **kw)
        d[f'out.{r}'] = out.detach()
        if r == reductions[0]:
            out.sum().backward()
            for i, x in enumerate(ins): d['grad.input' if i == 0 else f'grad.input{i}'] = x.grad.clone()
    cases[name] = d

p = torch.randn(4, 3); t = torch.randn(4, 3)
loss_case('mse', F.mse_loss, [p], [t])
loss_case('l1', F.l1_loss, [p], [t])
loss_case('smooth_l1', F.smooth_l1_loss, [p * 2], [t], beta=0.5)
loss_case('huber', F.huber_loss, [p * 2], [t], delta=0.7)
probs = torch.rand(4, 3) * 0.9 + 0.05; labels01 = (torch.rand(4, 3) > 0.5).double()
loss_case('bce', F.binary_cross_entropy, [probs], [labels01], weight=torch.rand(3) + 0.5)
loss_case('bce_logits', F.binary_cross_entropy_with_logits, [p * 3], [labels01], pos_weight=torch.tensor([0.5, 2.0, 3.0]))
loss_case('bce_logits_plain', F.binary_cross_entropy_with_logits, [torch.tensor([[-200.0, 0.5], [3.0, 150.0]])], [torch.tensor([[1.0, 0.0], [0.25, 0.0]])])
logits = torch.randn(5, 3) * 2; idx = torch.tensor([0, 2, 1, 2, 0])
loss_case('cross_entropy', F.cross_entropy, [logits], [idx])
loss_case('cross_entropy_options', F.cross_entropy, [logits], [torch.tensor([0, 2, -100, 2, 1])],
          weight=torch.tensor([0.5, 2.0, 1.0]), ignore_index=-100, label_smoothing=0.2)
loss_case('cross_entropy_spatial', F.cross_entropy, [torch.randn(2, 3, 2)], [torch.tensor([[0, 2], [1, 1]])], label_smoothing=0.1)
soft = torch.softmax(torch.randn(5, 3), dim=1)
loss_case('cross_entropy_probs', F.cross_entropy, [logits], [soft], weight=torch.tensor([0.5, 2.0, 1.0]), label_smoothing=0.1)
loss_case('nll', F.nll_loss, [torch.log_softmax(logits, 1)], [torch.tensor([0, 2, 1, 3 - 1, 0])], weight=torch.tensor([1.0, 0.5, 2.0]))
gnll = lambda inp, var, tgt, **kw: F.gaussian_nll_loss(inp, tgt, var, **kw)
loss_case('gaussian_nll', gnll, [p, torch.rand(4, 1) + 0.1], [t], full=True)
loss_case('gaussian_nll_clamped', gnll, [p, torch.tensor([[0.5, 1e-8, 2.0]]).expand(4, 3).clone()], [t], eps=1e-3)
logq = torch.log_softmax(torch.randn(4, 3), 1); target_p = torch.softmax(torch.randn(4, 3), 1); target_p[0, 1] = 0
loss_case('kl_div', F.kl_div, [logq], [target_p], reductions=('mean', 'batchmean', 'sum', 'none'))
loss_case('kl_div_log_target', F.kl_div, [logq], [torch.log_softmax(torch.randn(4, 3), 1)], reductions=('batchmean', 'sum'), log_target=True)

def line(case, key, t):
    shape = ','.join(str(x) for x in t.shape)
    return f'{case} {key} {shape} ' + ','.join(repr(float(v)) for v in t.detach().double().flatten().tolist())

# One line per tensor, "case key shape values" (a string literal compiles fast; TorchReference parses it).
lines = [f'// Generated by scripts/torch_layers_reference.py with PyTorch {torch.__version__} (float64); do not edit.', '',
         'extension TorchReference {', '    static let text = """']
lines += ['    ' + line(c, k, v) for c, d in cases.items() for k, v in d.items()]
lines += ['    """', '}', '']
open('Packages/Layers/Tests/NablaLayersTests/TorchReference.swift', 'w').write('\n'.join(lines))
print(len(cases), 'cases')
