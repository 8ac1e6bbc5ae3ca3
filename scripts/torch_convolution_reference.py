# Prints the body of Packages/Autograd/Tests/NablaAutogradTests/ConvolutionTests.swift's torch cases:
# values and gradients of F.conv1d/conv2d/conv_transpose2d/max_pool2d/avg_pool2d/adaptive_avg_pool2d
# in float64 on the tests' ramp inputs. Usage: python3 scripts/torch_convolution_reference.py
import torch, torch.nn.functional as F, warnings
warnings.filterwarnings("ignore")
torch.set_default_dtype(torch.float64)
def inp(shape, a=7, m=11, off=5, div=4.0):
    n = 1
    for s in shape: n *= s
    return (((torch.arange(n) * a) % m - off) / div).reshape(shape).double().requires_grad_()
def weights(shape):
    n = 1
    for s in shape: n *= s
    return (((torch.arange(n) * 3) % 7 - 3) / 2.0).reshape(shape).double()
def fmt(t): return "[" + ", ".join(repr(float(v)) for v in t.detach().flatten()) + "]"
out = []
def case(fname, comment, swift_inputs, swift_call, call, *ins):
    y = call(*ins)
    (y * weights(y.shape)).sum().backward()
    out.append(f"    // torch 2.x, float64: {comment}; (y * r).sum().backward()")
    out.append(f"    @Test func {fname}() {{")
    out.append(f"        let inputs = [{', '.join(swift_inputs)}]")
    out.append(f"        let expected = Tensor<Double>(shape: {list(y.shape)}, scalars: {fmt(y)})")
    grads = ", ".join(f"Tensor<Double>(shape: {list(t.shape)}, scalars: {fmt(t.grad)})" for t in ins)
    out.append(f"        let grads = [{grads}]")
    out.append(f"        check(inputs, expected, grads) {{ v in {swift_call} }}")
    out.append("    }")
    out.append("")
def S(shape, a=7, m=11, off=5, div=4.0): return f"ramp({list(shape)}, {a}, {m}, {off}, {div})"
x = inp([1,2,5,5]); w = inp([3,2,3,3], 5, 13, 6, 3.0); b = inp([3], 1, 3, 1, 2.0)
case("conv2dStride2Padding1Bias", "F.conv2d(x, w, b, stride=2, padding=1)", [S([1,2,5,5]), S([3,2,3,3],5,13,6,3.0), S([3],1,3,1,2.0)],
     "v[0].conv2d(v[1], bias: v[2], stride: 2, padding: 1)", lambda x,w,b: F.conv2d(x,w,b,stride=2,padding=1), x, w, b)
x = inp([1,4,6,6]); w = inp([4,2,2,2], 5, 13, 6, 3.0)
case("conv2dDilation2Groups2", "F.conv2d(x, w, padding=1, dilation=2, groups=2)", [S([1,4,6,6]), S([4,2,2,2],5,13,6,3.0)],
     "v[0].conv2d(v[1], padding: 1, dilation: 2, groups: 2)", lambda x,w: F.conv2d(x,w,padding=1,dilation=2,groups=2), x, w)
x = inp([2,2,6]); w = inp([2,2,4], 5, 13, 6, 3.0)
case("conv1dSameEvenKernel", "F.conv1d(x, w, padding='same') with an even kernel (one more zero after)", [S([2,2,6]), S([2,2,4],5,13,6,3.0)],
     "v[0].conv1d(v[1], padding: .same)", lambda x,w: F.conv1d(x,w,padding='same'), x, w)
x = inp([1,2,7]); w = inp([4,1,3], 5, 13, 6, 3.0); b = inp([4], 1, 3, 1, 2.0)
case("conv1dStride2Groups2Bias", "F.conv1d(x, w, b, stride=2, padding=1, groups=2)", [S([1,2,7]), S([4,1,3],5,13,6,3.0), S([4],1,3,1,2.0)],
     "v[0].conv1d(v[1], bias: v[2], stride: 2, padding: 1, groups: 2)", lambda x,w,b: F.conv1d(x,w,b,stride=2,padding=1,groups=2), x, w, b)
z = inp([1,2,3,3]); w = inp([2,1,3,3], 5, 13, 6, 3.0); b = inp([1], 1, 3, 1, 2.0)
case("convTranspose2dStride2OutputPadding1", "F.conv_transpose2d(z, w, b, stride=2, padding=1, output_padding=1)", [S([1,2,3,3]), S([2,1,3,3],5,13,6,3.0), S([1],1,3,1,2.0)],
     "v[0].convTranspose2d(v[1], bias: v[2], stride: 2, padding: 1, outputPadding: 1)",
     lambda z,w,b: F.conv_transpose2d(z,w,b,stride=2,padding=1,output_padding=1), z, w, b)
z = inp([1,4,2,3]); w = inp([4,1,2,2], 5, 13, 6, 3.0)
case("convTranspose2dDilation2Groups2", "F.conv_transpose2d(z, w, groups=2, dilation=2)", [S([1,4,2,3]), S([4,1,2,2],5,13,6,3.0)],
     "v[0].convTranspose2d(v[1], dilation: 2, groups: 2)", lambda z,w: F.conv_transpose2d(z,w,groups=2,dilation=2), z, w)
x = inp([1,1,5,5], 3, 5, 2, 1.0)
case("maxPool2dCeilModeTies", "F.max_pool2d(x, 3, stride=2, padding=1, ceil_mode=True), x with ties", [S([1,1,5,5],3,5,2,1.0)],
     "v[0].maxPool2d(kernelSize: 3, stride: 2, padding: 1, ceilMode: true)", lambda x: F.max_pool2d(x,3,stride=2,padding=1,ceil_mode=True), x)
x = inp([1,2,6,6], 3, 5, 2, 1.0)
case("maxPool2dDilation2", "F.max_pool2d(x, 2, dilation=2), x with ties", [S([1,2,6,6],3,5,2,1.0)],
     "v[0].maxPool2d(kernelSize: 2, dilation: 2)", lambda x: F.max_pool2d(x,2,dilation=2), x)
x = inp([1,1,5,5])
case("avgPool2dExcludePad", "F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True, count_include_pad=False)", [S([1,1,5,5])],
     "v[0].avgPool2d(kernelSize: 3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false)",
     lambda x: F.avg_pool2d(x,3,stride=2,padding=1,ceil_mode=True,count_include_pad=False), x)
x = inp([1,1,5,5])
case("avgPool2dIncludePad", "F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True)", [S([1,1,5,5])],
     "v[0].avgPool2d(kernelSize: 3, stride: 2, padding: 1, ceilMode: true)",
     lambda x: F.avg_pool2d(x,3,stride=2,padding=1,ceil_mode=True), x)
x = inp([1,2,5,7])
case("adaptiveAvgPool2d", "F.adaptive_avg_pool2d(x, (3, 4))", [S([1,2,5,7])],
     "v[0].adaptiveAvgPool2d([3, 4])", lambda x: F.adaptive_avg_pool2d(x,(3,4)), x)
print("\n".join(out))
