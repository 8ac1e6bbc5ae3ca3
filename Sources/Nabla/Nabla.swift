// The umbrella module: `import Nabla` gives every Nabla package. Nothing else lives here.
@_exported import NablaTensor
@_exported import NablaAutograd
@_exported import NablaLayers
@_exported import NablaOptimizers
@_exported import NablaData
@_exported import NablaPlot
@_exported import NablaSampling
@_exported import NablaSerialization
@_exported import NablaTraining
