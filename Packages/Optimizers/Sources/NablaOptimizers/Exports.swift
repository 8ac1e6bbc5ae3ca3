// A module that trains parameters needs them and their tensors: re-export both.
@_exported import NablaTensor
@_exported import NablaAutograd
