@_exported import NablaTensor
@_exported import NablaAutograd
