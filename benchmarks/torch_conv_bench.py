# PyTorch counterpart of Packages/Autograd/Benchmarks/ConvBench: forward + backward of LeNet-5's
# convolution stack, conv2d(1->6, 5x5) + max_pool2d(2) + conv2d(6->16, 5x5) + max_pool2d(2), on a
# [64, 1, 28, 28] float32 batch; gradients of the weights and biases. Median of 100 runs after 5 warm-ups.
#   python3 benchmarks/torch_conv_bench.py
import time, torch, torch.nn.functional as F

torch.manual_seed(0)
x = torch.randn(64, 1, 28, 28)
w1 = (torch.randn(6, 1, 5, 5) * 0.2).requires_grad_()
b1 = torch.zeros(6, requires_grad=True)
w2 = (torch.randn(16, 6, 5, 5) * 0.08).requires_grad_()
b2 = torch.zeros(16, requires_grad=True)

def stack(x):
    h = F.max_pool2d(F.conv2d(x, w1, b1), 2)
    return F.max_pool2d(F.conv2d(h, w2, b2), 2)

def measure(body, repeats=100):
    for _ in range(5): body()
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter(); body(); times.append(time.perf_counter() - t0)
    return sorted(times)

def report(label, times):
    print(f"{label}: median {times[len(times)//2]*1e3:.3f} ms (min {times[0]*1e3:.3f}, max {times[-1]*1e3:.3f}, {len(times)} runs)")

def forward():
    with torch.no_grad(): stack(x).sum().item()

def step():
    for p in (w1, b1, w2, b2): p.grad = None
    stack(x).sum().backward()
    w1.grad.sum().item()

report("conv stack forward [64,1,28,28] float32", measure(forward))
report("conv stack forward+backward [64,1,28,28] float32", measure(step))
print(f"(torch {torch.__version__}, {torch.get_num_threads()} threads)")
