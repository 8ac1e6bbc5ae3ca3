// Checkpoints hold tensors: importing NablaSerialization makes `Tensor` available too.
@_exported import NablaTensor
