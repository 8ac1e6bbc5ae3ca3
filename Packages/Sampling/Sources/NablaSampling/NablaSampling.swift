// NablaSampling is laid out but not yet built: its issue fills it in.
// The module exists so that the monorepo's shape and dependency direction are visible and checked by the build.
@_exported import NablaTensor
