# References for Packages/Autograd/Tests/NablaAutogradTests/LinearOperatorTests.swift and the fused
# cross-entropy tests: F.linear (then relu) and F.cross_entropy in float64, values and gradients.
#   python3 scripts/torch_linear_fused_reference.py
import torch
import torch.nn.functional as F
torch.set_printoptions(precision=17)

x = torch.tensor([[0.5, -1.25, 2.0], [-0.75, 0.25, 1.5], [1.0, 1.0, -1.0], [-2.0, 0.5, 0.0]], dtype=torch.float64, requires_grad=True)
w = torch.tensor([[0.3, -0.2, 0.1], [-0.4, 0.6, 0.25]], dtype=torch.float64, requires_grad=True)
b = torch.tensor([0.05, -0.1], dtype=torch.float64, requires_grad=True)
seed = torch.tensor([[1.0, -2.0], [0.5, 0.25], [-1.5, 3.0], [2.0, -0.5]], dtype=torch.float64)
for relu in [False, True]:
    for t in (x, w, b):
        t.grad = None
    y = F.linear(x, w, b)
    if relu:
        y = torch.relu(y)
    (y * seed).sum().backward()
    print("relu" if relu else "linear")
    print("y", y.detach().flatten().tolist())
    print("dx", x.grad.flatten().tolist())
    print("dw", w.grad.flatten().tolist())
    print("db", b.grad.flatten().tolist())

logits = torch.tensor([[1.0, -0.5, 2.0], [0.25, 0.75, -1.0], [3.0, 0.0, -2.0], [-0.5, -0.5, 0.5]], dtype=torch.float64, requires_grad=True)
target = torch.tensor([2, 0, 0, 1])
for reduction in ["mean", "sum"]:
    logits.grad = None
    loss = F.cross_entropy(logits, target, reduction=reduction)
    loss.backward()
    print("cross_entropy", reduction, loss.item())
    print("dlogits", logits.grad.flatten().tolist())
