import NablaTensor
import NablaAutograd

/// What a ``Conv1d`` or ``Conv2d`` pads its input with. Mirrors `padding_mode=` of `torch.nn.Conv1d`
/// and `torch.nn.Conv2d`.
///
/// The other modes pad the input explicitly (with `Variable.padded(_:mode:)`, whose gradient adds
/// each copied element back to its source) and run the convolution unpadded, as PyTorch does.
public enum ConvolutionPaddingMode: String, Sendable, CaseIterable {
    /// Zeros (`'zeros'`, PyTorch's default), inside the convolution kernel.
    case zeros
    /// Mirror without repeating the edge (`'reflect'`): each pad must be shorter than its axis.
    case reflect
    /// Repeat the edge element (`'replicate'`).
    case replicate
    /// Wrap around (`'circular'`).
    case circular

    /// The `PaddingMode` of the explicit pad, or `nil` for zeros.
    var tensorMode: PaddingMode? {
        switch self {
        case .zeros: nil
        case .reflect: .reflect
        case .replicate: .replicate
        case .circular: .circular
        }
    }
}

/// The pads `(before, after)` of each spatial axis that `padding` puts around an input, for kernels
/// `kernel` with `dilation`: `same` splits `dilation·(k − 1)` with the extra element after, as
/// PyTorch's `_reversed_padding_repeated_twice` does.
func spatialPads(_ padding: ConvolutionPadding, kernel: Size2D, dilation: Size2D) -> [(before: Int, after: Int)] {
    switch padding {
    case .explicit(let p): return [(p.height, p.height), (p.width, p.width)]
    case .valid: return [(0, 0), (0, 0)]
    case .same:
        let total = (dilation.height * (kernel.height - 1), dilation.width * (kernel.width - 1))
        return [(total.0 / 2, total.0 - total.0 / 2), (total.1 / 2, total.1 - total.1 / 2)]
    }
}
