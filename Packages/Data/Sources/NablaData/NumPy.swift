import NablaSerialization
import NablaTensor

/// NumPy `.npy` and `.npz` files, read through `NablaSerialization`'s hardened readers (every
/// size checked before anything is allocated; a truncated or hostile file throws).
public enum NumPyFile {
    /// The array of a `.npy` file, converted to `Scalar` when that is exact (`float32` into
    /// `Double`, `uint8` into `Float`, …).
    /// - Throws: ``DataError/serialization(file:_:)`` wrapping the reader's error, which names the file.
    public static func array<Scalar: TensorScalar>(_ path: String, as type: Scalar.Type = Scalar.self) throws -> Tensor<Scalar> {
        try wrap(path) {
            try CheckpointFile.open(path, format: "npy").tensor(named: NPYFormat.arrayName).tensor(as: Scalar.self)
        }
    }

    /// The array named `name` in a `.npz` archive (a name as `numpy.savez` wrote it, without `.npy`).
    /// - Throws: ``DataError/serialization(file:_:)``; an absent name is `SerializationError.unknownTensor`.
    public static func array<Scalar: TensorScalar>(_ name: String, in path: String,
                                                   as type: Scalar.Type = Scalar.self) throws -> Tensor<Scalar> {
        try wrap(path) {
            try CheckpointFile.open(path, format: "npz").tensor(named: name).tensor(as: Scalar.self)
        }
    }

    /// The names of the arrays in a `.npz` archive, in file order.
    /// - Throws: ``DataError/serialization(file:_:)``.
    public static func names(in path: String) throws -> [String] {
        try wrap(path) { try CheckpointFile.open(path, format: "npz").entries.map(\.name) }
    }

    /// A dataset of the arrays `inputs` and `targets` of a `.npz` archive (first axes equal).
    /// - Throws: ``DataError/serialization(file:_:)``,
    ///   or ``DataError/invalidArgument(_:)`` when their first dimensions differ.
    public static func dataset<Input: TensorScalar, Target: TensorScalar>(
        _ path: String, inputs: String, targets: String,
        as types: (Input.Type, Target.Type) = (Input.self, Target.self)) throws -> TensorDataset<Input, Target> {
        let x: Tensor<Input> = try array(inputs, in: path)
        let y: Tensor<Target> = try array(targets, in: path)
        guard x.rank >= 1, y.rank >= 1, x.shape[0] == y.shape[0] else {
            throw DataError.invalidArgument("\(path): '\(inputs)' has shape \(x.shape) and '\(targets)' \(y.shape): "
                                            + "their first dimensions must agree")
        }
        return TensorDataset(inputs: x, targets: y)
    }

    static func wrap<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as SerializationError {
            throw DataError.serialization(file: path, e)
        }
    }
}
