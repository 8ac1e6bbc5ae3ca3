// NablaSerialization is laid out but not yet built: its issue fills it in.
@_exported import NablaTensor
