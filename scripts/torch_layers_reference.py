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

# Convolution and pooling layers.
module_case('conv1d', nn.Conv1d(4, 6, 3, stride=2, padding=1, groups=2), torch.randn(2, 4, 9))
module_case('conv1d_same', nn.Conv1d(3, 4, 4, padding='same', dilation=2, bias=False), torch.randn(2, 3, 7))
module_case('conv2d', nn.Conv2d(3, 5, 3), torch.randn(2, 3, 5, 5))
module_case('conv2d_options', nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 2), dilation=(1, 2), groups=2), torch.randn(2, 4, 7, 6))
module_case('conv2d_unbatched', nn.Conv2d(2, 3, 2, padding='same'), torch.randn(2, 4, 5))
module_case('conv_transpose2d', nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2), torch.randn(2, 4, 3, 4))
module_case('conv_transpose2d_dilated', nn.ConvTranspose2d(2, 3, (2, 3), stride=(1, 2), padding=(0, 1), dilation=2, bias=False), torch.randn(1, 2, 3, 3))
module_case('max_pool2d', nn.MaxPool2d(3, stride=2, padding=1), torch.randn(2, 3, 7, 6))
module_case('max_pool2d_ceil', nn.MaxPool2d(2, dilation=2, ceil_mode=True), torch.randn(1, 2, 7, 7))
module_case('avg_pool2d', nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False), torch.randn(2, 3, 7, 6))
module_case('avg_pool2d_ceil', nn.AvgPool2d((2, 3), ceil_mode=True), torch.randn(1, 2, 5, 7))
module_case('adaptive_avg_pool2d', nn.AdaptiveAvgPool2d((3, 2)), torch.randn(2, 3, 7, 5))
module_case('adaptive_avg_pool2d_none', nn.AdaptiveAvgPool2d((None, 2)), torch.randn(2, 3, 4, 5))

def multi_case(name, m, inputs, run, train=True):
    """A module (or None) with several named inputs and outputs: grad.<name> of sum over outputs of out·cot."""
    if m is not None:
        randomize(m); m.train(train)
    d = {f'state.{k}': v.detach().clone() for k, v in m.state_dict().items()} if m is not None else {}
    ins = {k: (v.clone().requires_grad_() if v.is_floating_point() and not k.startswith('mask') else v) for k, v in inputs.items()}
    for k, v in ins.items(): d[k] = v.detach().clone()
    outs = run(m, ins)
    total = 0
    for k, o in outs.items():
        if o is None: continue
        cot = torch.randn_like(o)
        d[f'out.{k}'] = o.detach(); d[f'cot.{k}'] = cot
        total = total + (o * cot).sum()
    total.backward()
    if m is not None:
        for k, p in m.named_parameters(): d[f'grad.{k}'] = p.grad.detach().clone()
    for k, v in ins.items():
        if v.requires_grad: d[f'grad.{k}'] = v.grad.detach().clone()
    cases[name] = d

# Recurrent layers: out.output, out.h (and out.c); inputs `input`, optional `h0`, `c0`.
def rnn_run(m, ins):
    x = ins['input']
    if 'c0' in ins: y, (h, c) = m(x, (ins['h0'], ins['c0'])); return {'output': y, 'h': h, 'c': c}
    if isinstance(m, nn.LSTM): y, (h, c) = m(x); return {'output': y, 'h': h, 'c': c}
    y, h = m(x, ins['h0']) if 'h0' in ins else m(x)
    return {'output': y, 'h': h}
multi_case('rnn_tanh', nn.RNN(3, 4, num_layers=2), {'input': torch.randn(5, 2, 3), 'h0': torch.randn(2, 2, 4)}, rnn_run)
multi_case('rnn_relu_batch_first', nn.RNN(3, 4, nonlinearity='relu', batch_first=True, bias=False), {'input': torch.randn(2, 5, 3)}, rnn_run)
multi_case('lstm', nn.LSTM(3, 4, num_layers=2), {'input': torch.randn(5, 2, 3), 'h0': torch.randn(2, 2, 4), 'c0': torch.randn(2, 2, 4)}, rnn_run)
multi_case('lstm_bidirectional', nn.LSTM(3, 4, batch_first=True, bidirectional=True), {'input': torch.randn(2, 4, 3)}, rnn_run)
multi_case('lstm_unbatched', nn.LSTM(3, 2), {'input': torch.randn(4, 3)}, rnn_run)
multi_case('gru', nn.GRU(3, 4, num_layers=2), {'input': torch.randn(5, 2, 3), 'h0': torch.randn(2, 2, 4)}, rnn_run)
multi_case('gru_bidirectional', nn.GRU(3, 4, num_layers=2, batch_first=True, bidirectional=True), {'input': torch.randn(2, 4, 3)}, rnn_run)

# Attention. Masks are stored as 0/1 (bool) or additive floats under mask.*.
def sdpa_run(m, ins):
    return {'output': F.scaled_dot_product_attention(ins['query'], ins['key'], ins['value'], attn_mask=ins.get('mask.attn'))}
multi_case('sdpa_bool_mask', None, {'query': torch.randn(2, 3, 4, 5), 'key': torch.randn(2, 3, 6, 5), 'value': torch.randn(2, 3, 6, 2),
                                    'mask.attn': torch.rand(4, 6) > 0.3}, sdpa_run)
multi_case('sdpa_float_mask', None, {'query': torch.randn(3, 4, 5), 'key': torch.randn(3, 6, 5), 'value': torch.randn(3, 6, 2),
                                     'mask.attn': torch.randn(3, 4, 6)}, sdpa_run)
multi_case('sdpa_causal', None, {'query': torch.randn(2, 4, 3), 'key': torch.randn(2, 4, 3), 'value': torch.randn(2, 4, 3)},
           lambda m, ins: {'output': F.scaled_dot_product_attention(ins['query'], ins['key'], ins['value'], is_causal=True)})

kpm = torch.tensor([[False, False, True, False, True], [False, False, False, False, False]])
multi_case('mha', nn.MultiheadAttention(8, 2), {'query': torch.randn(4, 2, 8), 'key': torch.randn(5, 2, 8), 'value': torch.randn(5, 2, 8),
                                                'mask.key_padding': kpm, 'mask.attn': torch.randn(4, 5)},
           lambda m, ins: dict(zip(['output', 'weights'], m(ins['query'], ins['key'], ins['value'], key_padding_mask=ins['mask.key_padding'],
                                                               attn_mask=ins['mask.attn']))))
causal = torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1)
multi_case('mha_batch_first_self', nn.MultiheadAttention(6, 3, batch_first=True, bias=False), {'input': torch.randn(2, 4, 6), 'mask.attn': causal},
           lambda m, ins: dict(zip(['output', 'weights'], m(ins['input'], ins['input'], ins['input'], attn_mask=ins['mask.attn'],
                                                               average_attn_weights=False))))
multi_case('transformer_encoder_layer', nn.TransformerEncoderLayer(8, 2, dim_feedforward=16, dropout=0.0),
           {'input': torch.randn(5, 2, 8), 'mask.attn': torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)},
           lambda m, ins: {'output': m(ins['input'], src_mask=ins['mask.attn'])})
multi_case('transformer_encoder_layer_norm_first', nn.TransformerEncoderLayer(8, 4, dim_feedforward=12, dropout=0.0, activation='gelu',
                                                                              batch_first=True, norm_first=True),
           {'input': torch.randn(2, 5, 8), 'mask.key_padding': kpm},
           lambda m, ins: {'output': m(ins['input'], src_key_padding_mask=ins['mask.key_padding'])})

# Added with the TransformerEncoder, kdim/vdim, proj_size and padding_mode slices (appended, so the
# random draws of every case above are unchanged).
mask5 = torch.triu(torch.ones(5, 5, dtype=torch.bool), diagonal=1)
multi_case('transformer_encoder', nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, dim_feedforward=12, dropout=0.0), 2,
                                                        norm=nn.LayerNorm(8), enable_nested_tensor=False),
           {'input': torch.randn(5, 2, 8), 'mask.attn': mask5, 'mask.key_padding': kpm},
           lambda m, ins: {'output': m(ins['input'], mask=ins['mask.attn'], src_key_padding_mask=ins['mask.key_padding'])})
multi_case('transformer_encoder_norm_first',
           nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 4, dim_feedforward=6, dropout=0.0, activation='gelu', batch_first=True,
                                                            norm_first=True), 3, enable_nested_tensor=False),
           {'input': torch.randn(2, 5, 8), 'mask.key_padding': kpm},
           lambda m, ins: {'output': m(ins['input'], src_key_padding_mask=ins['mask.key_padding'])})
mha_run = lambda m, ins: dict(zip(['output', 'weights'], m(ins['query'], ins['key'], ins['value'],
                                                          key_padding_mask=ins.get('mask.key_padding'), attn_mask=ins.get('mask.attn'))))
multi_case('mha_kdim_vdim', nn.MultiheadAttention(8, 2, kdim=3, vdim=5),
           {'query': torch.randn(4, 2, 8), 'key': torch.randn(5, 2, 3), 'value': torch.randn(5, 2, 5),
            'mask.key_padding': kpm, 'mask.attn': torch.randn(4, 5)}, mha_run)
multi_case('mha_bias_kv_zero_attn', nn.MultiheadAttention(6, 3, add_bias_kv=True, add_zero_attn=True, kdim=4, vdim=4, batch_first=True),
           {'query': torch.randn(2, 4, 6), 'key': torch.randn(2, 5, 4), 'value': torch.randn(2, 5, 4),
            'mask.key_padding': kpm, 'mask.attn': torch.rand(4, 5) > 0.6},
           lambda m, ins: dict(zip(['output', 'weights'], m(ins['query'], ins['key'], ins['value'], key_padding_mask=ins['mask.key_padding'],
                                                               attn_mask=ins['mask.attn'], average_attn_weights=False))))
multi_case('mha_bias_kv_unbatched', nn.MultiheadAttention(8, 2, add_bias_kv=True),
           {'query': torch.randn(4, 8), 'key': torch.randn(3, 8), 'value': torch.randn(3, 8)}, mha_run)
multi_case('lstm_proj', nn.LSTM(3, 5, num_layers=2, proj_size=2),
           {'input': torch.randn(4, 2, 3), 'h0': torch.randn(2, 2, 2), 'c0': torch.randn(2, 2, 5)}, rnn_run)
multi_case('lstm_proj_bidirectional', nn.LSTM(3, 4, num_layers=2, batch_first=True, bidirectional=True, proj_size=3),
           {'input': torch.randn(2, 4, 3)}, rnn_run)
module_case('conv1d_reflect', nn.Conv1d(3, 4, 3, stride=2, padding=2, padding_mode='reflect'), torch.randn(2, 3, 7))
module_case('conv1d_circular_same', nn.Conv1d(2, 3, 4, padding='same', dilation=2, padding_mode='circular'), torch.randn(2, 2, 9))
module_case('conv2d_replicate', nn.Conv2d(3, 4, (3, 2), padding=(1, 2), padding_mode='replicate'), torch.randn(2, 3, 5, 4))
module_case('conv2d_reflect_same', nn.Conv2d(2, 4, (2, 3), padding='same', dilation=(2, 1), padding_mode='reflect', bias=False),
            torch.randn(1, 2, 5, 6))
module_case('conv2d_circular', nn.Conv2d(4, 2, 3, stride=2, padding=1, groups=2, padding_mode='circular'), torch.randn(2, 4, 6, 5))

# TransformerDecoderLayer and TransformerDecoder (appended likewise).
causal4 = torch.triu(torch.ones(4, 4, dtype=torch.bool), diagonal=1)
multi_case('transformer_decoder_layer', nn.TransformerDecoderLayer(8, 2, dim_feedforward=12, dropout=0.0),
           {'input': torch.randn(4, 2, 8), 'memory': torch.randn(5, 2, 8), 'mask.attn': causal4, 'mask.memory_key_padding': kpm},
           lambda m, ins: {'output': m(ins['input'], ins['memory'], tgt_mask=ins['mask.attn'],
                                       memory_key_padding_mask=ins['mask.memory_key_padding'])})
multi_case('transformer_decoder', nn.TransformerDecoder(nn.TransformerDecoderLayer(8, 4, dim_feedforward=6, dropout=0.0, activation='gelu',
                                                                                    batch_first=True, norm_first=True), 2, norm=nn.LayerNorm(8)),
           {'input': torch.randn(2, 4, 8), 'memory': torch.randn(2, 5, 8), 'mask.attn': causal4, 'mask.memory': torch.randn(4, 5),
            'mask.key_padding': torch.tensor([[False, False, False, True], [False, False, False, False]])},
           lambda m, ins: {'output': m(ins['input'], ins['memory'], tgt_mask=ins['mask.attn'], memory_mask=ins['mask.memory'],
                                       tgt_key_padding_mask=ins['mask.key_padding'])})

# nn.Transformer (appended likewise); the target mask is generate_square_subsequent_mask's float mask.
multi_case('transformer', nn.Transformer(d_model=8, nhead=2, num_encoder_layers=2, num_decoder_layers=1, dim_feedforward=10, dropout=0.0),
           {'input': torch.randn(5, 2, 8), 'target': torch.randn(4, 2, 8), 'mask.target': nn.Transformer.generate_square_subsequent_mask(4),
            'mask.key_padding': kpm},
           lambda m, ins: {'output': m(ins['input'], ins['target'], tgt_mask=ins['mask.target'], src_key_padding_mask=ins['mask.key_padding'],
                                       memory_key_padding_mask=ins['mask.key_padding'])})

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
