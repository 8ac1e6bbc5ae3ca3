import Testing
import ComplexModule
import NablaTensor

/// A literal of every storage type in `DType` compiles and holds the written values, both as an
/// annotated nested literal and as `Tensor<T>([…])` (`Tensor<BFloat16>([1, 2.5])` used to stop the
/// compiler with "failed to produce diagnostic for expression").
@Suite struct LiteralTests {
    @Test func everyStorageTypeTakesALiteral() {
        let bool: Tensor<Bool> = [[true, false], [false, true]]
        let uint8: Tensor<UInt8> = [0, 255], int8: Tensor<Int8> = [-128, 127]
        let int16: Tensor<Int16> = [-3, 4], uint16: Tensor<UInt16> = [65535]
        let int32: Tensor<Int32> = [[-1, 2]], uint32: Tensor<UInt32> = [7]
        let int64: Tensor<Int64> = [-9_000_000_000], uint64: Tensor<UInt64> = [18_000_000_000_000_000_000]
        let int: Tensor<Int> = [1, -2]
        let float: Tensor<Float> = [1, 2.5], double: Tensor<Double> = [[1, 2.5]]
        let bfloat: Tensor<BFloat16> = [1, 2.5, -0.1]
        let complex64: Tensor<Complex<Float>> = [1, 2.5], complex128: Tensor<Complex<Double>> = [[1, -2.5]]
        #expect(bool.shape == [2, 2] && bool.scalars == [true, false, false, true])
        #expect(uint8.scalars == [0, 255] && int8.scalars == [-128, 127])
        #expect(int16.scalars == [-3, 4] && uint16.scalars == [65535])
        #expect(int32.shape == [1, 2] && uint32.scalars == [7])
        #expect(int64.scalars == [-9_000_000_000] && uint64.scalars == [18_000_000_000_000_000_000] && int.scalars == [1, -2])
        #expect(float.scalars == [1, 2.5] && double.shape == [1, 2])
        // -0.1 rounds to bfloat16 0xBDCD (torch 2.x: torch.tensor([-0.1]).to(torch.bfloat16).view(torch.int16) = -16947).
        #expect(bfloat.scalars.map(\.bitPattern) == [0x3F80, 0x4020, 0xBDCD])
        #expect(complex64.scalars == [Complex(1, 0), Complex(2.5, 0)])
        #expect(complex128.shape == [1, 2] && complex128.scalars == [Complex(1, 0), Complex(-2.5, 0)])
        #if !((os(macOS) || targetEnvironment(macCatalyst)) && arch(x86_64))
        let half: Tensor<Float16> = [1, 2.5]
        #expect(half.scalars == [1, 2.5])
        #expect(Tensor<Float16>([1, 2.5]).scalars == [1, 2.5])
        #endif
        // The call spelling of the issue, for each real type.
        #expect(Tensor<BFloat16>([1, 2.5]).scalars.map(\.floatValue) == [1, 2.5])
        #expect(Tensor<Float>([1, 2.5]).scalars == [1, 2.5] && Tensor<Double>([1, 2.5]).scalars == [1, 2.5])
        #expect(Tensor<Int32>([1, 2]).scalars == [1, 2] && Tensor<UInt8>([1, 2]).scalars == [1, 2])
        #expect(Tensor<Bool>([true]).scalars == [true])
        #expect(Tensor<Complex<Double>>([Complex(1, 2)]).scalars == [Complex(1, 2)])
        #expect(Tensor<Complex<Double>>([1, 2]).scalars == [Complex(1, 0), Complex(2, 0)])
        // `Tensor<Complex<Double>>([1, 2.5])` does not compile (Complex is not ExpressibleByFloatLiteral,
        // and Nabla does not add that conformance to swift-numerics' type); the compiler says so clearly:
        // "cannot convert value of type 'Double' to expected element type 'Complex<Double>'". The
        // annotated literal above (`let z: Tensor<Complex<Double>> = [1, 2.5]`) is the spelling that works.
    }
}
