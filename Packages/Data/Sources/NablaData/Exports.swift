// Datasets hold tensors: importing NablaData makes `Tensor` available too.
@_exported import NablaTensor
