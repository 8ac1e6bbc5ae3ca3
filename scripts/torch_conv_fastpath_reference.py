# References for the 2x2 max-pooling path (ties, NaN, -inf; values, indices, gradients) and a
# convolution weight gradient summed over 32 images of 24x24 outputs, in float64, pasted into
# Packages/Autograd/Tests/NablaAutogradTests/ConvolutionFastPathTests.swift. Usage: python3 scripts/torch_conv_fastpath_reference.py
import torch, torch.nn.functional as F
torch.set_default_dtype(torch.float64)
def ramp(shape, a, m, off, div):
    n = 1
    for s in shape: n *= s
    return (((torch.arange(n) * a) % m - off) / div).reshape(shape).double()
def fmt(t): return "[" + ", ".join(repr(float(v)) for v in t.detach().flatten()) + "]"
# 2x2 max pool (the unrolled path), ties
x = ramp([2,3,6,8],3,5,2,1.0).requires_grad_()
y = F.max_pool2d(x, 2)
(y * ramp(list(y.shape),3,7,3,2.0)).sum().backward()
print("maxpool2 y", list(y.shape), fmt(y)); print("maxpool2 gx", fmt(x.grad))
# NaN and -inf: values and indices
x = ramp([1,1,4,6],3,5,2,1.0)
x[0,0,0,1] = float('nan'); x[0,0,1,0] = float('nan'); x[0,0,0,2:4] = float('-inf'); x[0,0,1,2:4] = float('-inf'); x[0,0,2,4]=float('nan')
print("x", fmt(x))
y, i = F.max_pool2d(x, 2, return_indices=True)
print("nan y", fmt(y)); print("nan i", i.flatten().tolist())
xr = x.clone().requires_grad_(); yy = F.max_pool2d(xr, 2); (yy * ramp(list(yy.shape),3,7,3,2.0)).sum().backward(); print("nan gx", fmt(xr.grad))
# conv weight gradient with a long sum (32 images of 24x24 outputs)
x = ramp([32,1,26,26],7,11,5,4.0); w = ramp([2,1,3,3],5,13,6,3.0).requires_grad_(); b = ramp([2],1,3,1,2.0).requires_grad_()
y = F.conv2d(x, w, b)
(y * ramp(list(y.shape),3,7,3,2.0)).sum().backward()
print("conv gw", fmt(w.grad)); print("conv gb", fmt(b.grad)); print("conv ysum", repr(float(y.detach().sum())))
