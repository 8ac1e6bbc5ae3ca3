"""Reference values for the batched MultivariateNormal test (MultivariateNormalBatchTests.swift).

    python3 scripts/mvn_batched_reference.py

loc [3, 2] and scale_tril [2, 1, 2, 2] broadcast to batch shape [2, 3], in float64.
"""
import torch
torch.set_default_dtype(torch.float64)
D = torch.distributions
print("torch", torch.__version__)
loc = torch.tensor([[0.5, -1.0], [1.5, 0.25], [-0.75, 2.0]])
L = torch.tensor([[[[1.2, 0.0], [0.3, 0.8]]], [[[0.6, 0.0], [-0.4, 1.5]]]])
p = D.MultivariateNormal(loc, scale_tril=L)
print("batch_shape", list(p.batch_shape), "event_shape", list(p.event_shape))
x = torch.tensor([[[0.1, 0.2], [1.0, -0.5], [0.0, 1.5]], [[-0.3, 0.9], [2.0, 0.0], [0.4, 0.4]]])
print("log_prob", p.log_prob(x).flatten().tolist())
print("log_prob of one point broadcast", p.log_prob(torch.tensor([0.2, -0.1])).flatten().tolist())
print("entropy", p.entropy().flatten().tolist())
print("variance", p.variance.flatten().tolist())
q = D.MultivariateNormal(torch.tensor([0.0, 0.5]), scale_tril=torch.tensor([[[1.0, 0.0], [0.2, 0.9]], [[0.7, 0.0], [0.0, 1.1]], [[1.5, 0.0], [-0.6, 0.5]]]))
print("q batch", list(q.batch_shape))
print("kl(p||q)", D.kl_divergence(p, q).flatten().tolist())
