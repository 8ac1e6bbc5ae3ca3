// Training code needs models, optimizers, data and checkpoints together: re-export them.
@_exported import NablaTensor
@_exported import NablaAutograd
@_exported import NablaSerialization
@_exported import NablaLayers
@_exported import NablaOptimizers
@_exported import NablaData
