/// The formats ``FormatRegistry/shared`` starts with: native `.nabla`, `.safetensors`, `.npy`, `.npz`.
public let builtinFormats: [any CheckpointFormat] = [NativeFormat(), SafetensorsFormat(), NPYFormat(), NPZFormat()]
