import Testing
import NablaTensor
import _NablaTestSupport

@Suite("Float16 and BFloat16 conversion")
struct HalfPrecisionTests {
    /// Inputs: ordinary values, Float16's largest finite value and the first that overflows, values
    /// below both formats' range (1e-8 and the Float subnormal 1e-40 = bits 0x000116C2), infinities, 0.1, bfloat16 ties (1 + 2⁻⁸ rounds to even 1.0,
    /// 1 + 3·2⁻⁸ up to 1 + 2⁻⁶), values near Float.greatestFiniteMagnitude, -0.0 and subnormals.
    static let floats: [Float] = [1.0, -2.5, 3.14159274, 65504.0, 65520.0, 1e-8, Float(bitPattern: 0x116C2), .infinity, -.infinity,
                                  0.1, 1 + 0x1p-8, 1 + 3 * 0x1p-8, 3.0e38, 3.4e38, -0.0, 6.1e-5, 0x1p-24]

    @Test func floatToBFloat16MatchesTorchBits() {
        // torch.tensor(floats, dtype=torch.float32).to(torch.bfloat16).view(torch.int16), torch 2.15
        let expected: [UInt16] = [0x3F80, 0xC020, 0x4049, 0x4780, 0x4780, 0x322C, 0x0001, 0x7F80, 0xFF80,
                                  0x3DCD, 0x3F80, 0x3F82, 0x7F62, 0x7F80, 0x8000, 0x3880, 0x3380]
        let b = Tensor(Self.floats).converted(to: BFloat16.self)
        #expect(b.scalars.map(\.bitPattern) == expected)
        // Widening is exact (torch ....to(torch.bfloat16).to(torch.float32)).
        let back = b.converted(to: Float.self).scalars
        #expect(back[2] == 3.140625 && back[3] == 65536 && back[9] == 0.10009765625 && back[11] == 1.015625)
        #expect(back[13] == .infinity && back[14].sign == .minus)
        #expect(b.converted(to: Double.self).scalars[12] == 3.00405527047391e+38)
    }

    @Test func floatToFloat16MatchesTorchBits() {
        // torch.tensor(floats, dtype=torch.float32).to(torch.float16).view(torch.int16), torch 2.15
        let expected: [UInt16] = [0x3C00, 0xC100, 0x4248, 0x7BFF, 0x7C00, 0x0000, 0x0000, 0x7C00, 0xFC00,
                                  0x2E66, 0x3C04, 0x3C0C, 0x7C00, 0x7C00, 0x8000, 0x03FF, 0x0001]
        let h = Tensor(Self.floats).converted(to: Float16.self)
        #expect(h.scalars.map(\.bitPattern) == expected)
        // torch ....to(torch.float16).to(torch.float64): 0.0999755859375 and the subnormal 6.097555160522461e-05
        let back = h.converted(to: Double.self).scalars
        #expect(back[9] == 0.0999755859375 && back[15] == 6.097555160522461e-05 && back[16] == 5.960464477539063e-08)
    }

    @Test func doubleRoundsThroughFloatLikeTorch() {
        // 1 + 2⁻⁸ + 2⁻³⁰ and 1 + 2⁻¹¹ + 2⁻⁴⁰ lose their last bit in Float and then tie to even:
        // torch gives bfloat16 0x3F80 and float16 0x3C00 (NumPy's single rounding gives 0x3C01).
        let values: [Double] = [1 + 0x1p-8 + 0x1p-30, 1 + 0x1p-11 + 0x1p-40, 0.1, 1e300, 1e-300, -1.0 / 3, 1.5 * 0x1p-24]
        let d = Tensor<Double>(values)
        // torch.tensor(d, dtype=torch.float64).to(torch.bfloat16 / torch.float16).view(torch.int16)
        #expect(d.converted(to: BFloat16.self).scalars.map(\.bitPattern) == [0x3F80, 0x3F80, 0x3DCD, 0x7F80, 0x0000, 0xBEAB, 0x33C0])
        #expect(d.converted(to: Float16.self).scalars.map(\.bitPattern) == [0x3C04, 0x3C00, 0x2E66, 0x7C00, 0x0000, 0xB555, 0x0002])
    }

    @Test func betweenTheSixteenBitTypes() {
        let h = Tensor(Self.floats).converted(to: Float16.self)
        // torch: x.to(float16).to(bfloat16) and x.to(bfloat16).to(float16)
        #expect(h.converted(to: BFloat16.self).scalars.map(\.bitPattern) ==
                [0x3F80, 0xC020, 0x4049, 0x4780, 0x7F80, 0x0000, 0x0000, 0x7F80, 0xFF80, 0x3DCD, 0x3F80, 0x3F82,
                 0x7F80, 0x7F80, 0x8000, 0x3880, 0x3380])
        let b = Tensor(Self.floats).converted(to: BFloat16.self)
        #expect(b.converted(to: Float16.self).scalars.map(\.bitPattern) ==
                [0x3C00, 0xC100, 0x4248, 0x7C00, 0x7C00, 0x0000, 0x0000, 0x7C00, 0xFC00, 0x2E68, 0x3C00, 0x3C10,
                 0x7C00, 0x7C00, 0x8000, 0x0400, 0x0001])
    }

    @Test func nanStaysNaN() {
        // NaN payload bits differ between torch's code paths (0xFFFF vectorized, 0x7FC0 scalar), so
        // only NaN-ness is pinned.
        let n = Tensor<Float>([.nan, -.nan])
        #expect(n.converted(to: BFloat16.self).converted(to: Float.self).scalars.allSatisfy { $0.isNaN })
        #expect(n.converted(to: Float16.self).converted(to: Float.self).scalars.allSatisfy { $0.isNaN })
    }
}
