import Testing
@testable import NablaSerialization

@Suite("dtype casting")
struct CastTests {
    @Test("widening is exact and allowed by default")
    func widening() throws {
        let h = AnyTensor(Tensor<Float16>(shape: [3], scalars: [0.5, -2, 65504]))
        #expect(try h.tensor(as: Float.self).scalars == [0.5, -2, 65504])
        let b = AnyTensor(Tensor<BFloat16>(shape: [2], scalars: [BFloat16(1.5), BFloat16(-3e38)]))
        #expect(try b.tensor(as: Double.self).scalars == [1.5, Double(BFloat16(-3e38).floatValue)])
        let i = AnyTensor(Tensor<Int16>(shape: [2], scalars: [-32768, 32767]))
        #expect(try i.tensor(as: Float.self).scalars == [-32768, 32767])
        #expect(try i.tensor(as: Int64.self).scalars == [-32768, 32767])
        let flags = AnyTensor(Tensor<Bool>(shape: [2], scalars: [true, false]))
        #expect(try flags.tensor(as: Float16.self).scalars == [1, 0])
    }

    @Test("narrowing throws unless allowed, then rounds like NumPy/PyTorch")
    func narrowing() throws {
        let f = AnyTensor(Tensor<Float>(shape: [1], scalars: [0.1]))
        #expect(throws: SerializationError.lossyCast(from: "float32", to: "float16")) { try f.tensor(as: Float16.self) }
        #expect(throws: SerializationError.lossyCast(from: "int32", to: "float32")) {
            try AnyTensor(Tensor<Int32>(shape: [1], scalars: [1])).tensor(as: Float.self)
        }
        #expect(throws: SerializationError.lossyCast(from: "float32", to: "int64")) { try f.tensor(as: Int64.self) }
        // np.float16(np.float32(0.1)) = 0.0999755859375 (bits 0x2e66).
        #expect(try f.tensor(as: Float16.self, casting: .allowLossy).scalars[0].bitPattern == 0x2E66)
        // torch.tensor([1.00390625 + 2**-30, 1.00390625, 3.0e38], dtype=torch.float64).to(torch.bfloat16)
        // = [1.0, 1.0, 3.00405527047391e+38] (PyTorch rounds through float32).
        let d = AnyTensor(Tensor<Double>(shape: [3], scalars: [1.00390625 + 0x1p-30, 1.00390625, 3.0e38]))
        let bf = try d.tensor(as: BFloat16.self, casting: .allowLossy).scalars.map { Double($0.floatValue) }
        #expect(bf == [1.0, 1.0, 3.00405527047391e+38])
        // Float to integer: toward zero, saturating, NaN → 0 (documented Nabla rule).
        let g = AnyTensor(Tensor<Float>(shape: [5], scalars: [-1.7, 2.5, 1e10, .nan, -1e10]))
        #expect(try g.tensor(as: Int8.self, casting: .allowLossy).scalars == [-1, 2, 127, 0, -128])
        // Integers clamp.
        let big = AnyTensor(Tensor<Int64>(shape: [2], scalars: [300, -5]))
        #expect(try big.tensor(as: UInt8.self, casting: .allowLossy).scalars == [255, 0])
    }

    @Test("float8 decodes like torch.float8_e4m3fn / float8_e5m2 / float8_e8m0fnu")
    func float8() throws {
        // torch.tensor([0x38,0x7E,0x01,0x7F,0xB8], dtype=torch.uint8).view(torch.float8_e4m3fn).float()
        // = [1.0, 448.0, 0.001953125, nan, -1.0]
        let e4 = try AnyTensor(elementType: .float8E4M3, shape: [5], bytes: [0x38, 0x7E, 0x01, 0x7F, 0xB8]).tensor(as: Float.self).scalars
        #expect(e4[0] == 1 && e4[1] == 448 && e4[2] == 0.001953125 && e4[3].isNaN && e4[4] == -1)
        // ... .view(torch.float8_e5m2) of [0x3C,0x7B,0x7C,0x01] = [1.0, 57344.0, inf, 1.52587890625e-05]
        let e5 = try AnyTensor(elementType: .float8E5M2, shape: [4], bytes: [0x3C, 0x7B, 0x7C, 0x01]).tensor(as: Double.self).scalars
        #expect(e5 == [1, 57344, .infinity, 1.52587890625e-05])
        // ... .view(torch.float8_e8m0fnu) of [127, 0, 0xFF, 130] = [1.0, 5.877471754111438e-39, nan, 8.0]
        let e8 = try AnyTensor(elementType: .float8E8M0, shape: [4], bytes: [127, 0, 0xFF, 130]).tensor(as: Double.self).scalars
        #expect(e8[0] == 1 && e8[1] == 5.877471754111438e-39 && e8[2].isNaN && e8[3] == 8)
        // torch.tensor([0x40,0x7F,0x01,0x80,0xC0,0x00], dtype=torch.uint8).view(torch.float8_e4m3fnuz).float()
        // = [1.0, 240.0, 0.0009765625, nan, -1.0, 0.0]; .view(torch.float8_e5m2fnuz) = [1.0, 57344.0, 7.62939453125e-06, nan, -1.0, 0.0]
        let fnuzBytes: [UInt8] = [0x40, 0x7F, 0x01, 0x80, 0xC0, 0x00]
        let a = try AnyTensor(elementType: .float8E4M3FNUZ, shape: [6], bytes: fnuzBytes).tensor(as: Float16.self).scalars.map(Double.init)
        #expect(a[0] == 1 && a[1] == 240 && a[2] == 0.0009765625 && a[3].isNaN && a[4] == -1 && a[5] == 0)
        let b = try AnyTensor(elementType: .float8E5M2FNUZ, shape: [6], bytes: fnuzBytes).tensor(as: Double.self).scalars
        #expect(b[0] == 1 && b[1] == 57344 && b[2] == 7.62939453125e-06 && b[3].isNaN && b[4] == -1 && b[5] == 0)
        #expect(throws: SerializationError.lossyCast(from: "float8_e8m0", to: "float16")) {
            try AnyTensor(elementType: .float8E8M0, shape: [1], bytes: [1]).tensor(as: Float16.self)
        }
    }

    @Test("complex: only complex64 ↔ complex128")
    func complex() throws {
        let c = AnyTensor(elementType: .complex64, shape: [1], bytes: Array(repeating: 0, count: 8))
        #expect(try c.converted(to: .complex128).elementType == .complex128)
        #expect(throws: SerializationError.lossyCast(from: "complex64", to: "float32")) { try c.converted(to: .float32) }
        #expect(throws: SerializationError.unsupportedCast(from: "complex64", to: "float32")) {
            try c.converted(to: .float32, casting: .allowLossy)
        }
    }

    @Test("the lossless table: spot checks against value ranges")
    func table() {
        #expect(ElementType.int8.castsLosslessly(to: .float16))      // |x| ≤ 128 < 2^11
        #expect(ElementType.uint8.castsLosslessly(to: .bfloat16))    // 255 < 2^8
        #expect(!ElementType.int16.castsLosslessly(to: .bfloat16))   // 257 is not a bfloat16
        #expect(ElementType.int32.castsLosslessly(to: .float64))
        #expect(!ElementType.uint64.castsLosslessly(to: .int64))
        #expect(ElementType.uint32.castsLosslessly(to: .int64))
        #expect(!ElementType.float16.castsLosslessly(to: .bfloat16))  // 2^-24 underflows... and mantissa 11 > 8 bits
        #expect(ElementType.float8E4M3.castsLosslessly(to: .float16))
    }
}
