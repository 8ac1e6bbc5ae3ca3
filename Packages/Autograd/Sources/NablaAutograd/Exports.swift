// `import NablaAutograd` alone gives `Tensor` too: every differentiable function takes and returns tensors.
@_exported import NablaTensor
