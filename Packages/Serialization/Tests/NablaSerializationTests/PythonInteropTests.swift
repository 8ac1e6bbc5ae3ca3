import Foundation
import Testing
import _NablaTestSupport
@testable import NablaSerialization

let pythonHasPackages: Bool = runPython("import numpy, safetensors")?.status == 0

/// NumPy dtypes by Nabla element type (bfloat16 has none).
let numpyNames: [ElementType: String] = [
    .bool: "bool", .uint8: "uint8", .int8: "int8", .int16: "int16", .uint16: "uint16", .int32: "int32",
    .uint32: "uint32", .int64: "int64", .uint64: "uint64", .float16: "float16", .float32: "float32",
    .float64: "float64", .complex64: "complex64", .complex128: "complex128",
]

@Suite("Python interop", .enabled(if: pythonHasPackages, "needs python3 with numpy and safetensors"))
struct PythonInteropTests {
    /// Values every side builds the same way: (arange(n) * 7 + 3) % 11 - 2, as each dtype, shape [3, 4].
    static let script = """
    import sys, numpy as np
    def value(name):
        v = (np.arange(12) * 7 + 3) % 11 - 2
        if name == 'bool': return (v % 2 == 0).reshape(3, 4)
        if name.startswith('uint'): v = np.abs(v)
        a = v.astype(name)
        if name.startswith('complex'): a = a + 1j * a[::-1]
        return a.reshape(3, 4)
    names = %@
    """

    static func expected(_ type: ElementType) -> AnyTensor {
        let v = (0..<12).map { ($0 * 7 + 3) % 11 - 2 }
        let doubles: [Double]
        switch type {
        case .bool: return AnyTensor(Tensor<Bool>(shape: [3, 4], scalars: v.map { $0 % 2 == 0 }))
        case .uint8, .uint16, .uint32, .uint64: doubles = v.map { Double(abs($0)) }
        default: doubles = v.map(Double.init)
        }
        if type.isComplex {
            let pairs = (0..<12).flatMap { [doubles[$0], doubles[11 - $0]] }
            let t = AnyTensor(elementType: .complex128, shape: [3, 4],
                              bytes: pairs.flatMap { d in withUnsafeBytes(of: d) { Array($0) } })
            return try! t.converted(to: type, casting: .allowLossy)
        }
        return try! AnyTensor(Tensor<Double>(shape: [3, 4], scalars: doubles)).converted(to: type, casting: .allowLossy)
    }

    static var names: String { "[" + numpyNames.values.sorted().map { "'\($0)'" }.joined(separator: ",") + "]" }

    @Test("files written by numpy and safetensors load with identical names and values")
    func pythonToNabla() throws {
        let dir = TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let script = Self.script.replacingOccurrences(of: "%@", with: Self.names) + """

        from safetensors.numpy import save_file
        d = sys.argv[1]
        arrays = {n: value(n) for n in names if n != 'complex128'}
        save_file(arrays, d + '/np.safetensors', metadata={'framework': 'numpy'})
        np.savez(d + '/stored.npz', **{n: value(n) for n in names})
        np.savez_compressed(d + '/deflated.npz', **{n: value(n) for n in names})
        np.save(d + '/big_endian.npy', value('float64').astype('>f8'))
        np.save(d + '/fortran.npy', np.asfortranarray(value('int32')))
        # bfloat16 and float8 without torch: safetensors.serialize takes raw bytes. The values are
        # small integers, so bf16 is the top half of float32 and e5m2 the top byte of float16.
        from safetensors import serialize, TensorSpec
        f = value('float32')
        raw = {'bf16': ('bfloat16', np.ascontiguousarray((f.view(np.uint32) >> 16).astype(np.uint16))),
               'e5m2': ('float8_e5m2', np.ascontiguousarray((f.astype(np.float16).view(np.uint16) >> 8).astype(np.uint8)))}
        specs = {k: TensorSpec(dtype=t, shape=[3, 4], data_ptr=a.ctypes.data, data_len=a.nbytes) for k, (t, a) in raw.items()}
        open(d + '/torch.safetensors', 'wb').write(serialize(specs))
        print('ok')
        """
        let r = try #require(runPython(script, [dir]))
        #expect(r.status == 0, "\(r.output)")
        let st = try Checkpoint(contentsOf: dir + "/np.safetensors")
        #expect(st.metadata == ["framework": .string("numpy")])
        for (type, name) in numpyNames where type != .complex128 { #expect(st[name] == Self.expected(type), "\(name)") }
        for file in ["stored.npz", "deflated.npz"] {
            let z = try Checkpoint(contentsOf: dir + "/" + file)
            #expect(Set(z.names) == Set(numpyNames.values))
            for (type, name) in numpyNames { #expect(z[name] == Self.expected(type), "\(file) \(name)") }
        }
        #expect(try Checkpoint(contentsOf: dir + "/big_endian.npy")["array"] == Self.expected(.float64))
        #expect(try Checkpoint(contentsOf: dir + "/fortran.npy")["array"] == Self.expected(.int32))
        let t = try Checkpoint(contentsOf: dir + "/torch.safetensors")
        let f = try Self.expected(.float32).tensor(as: Float.self).scalars
        // The values are small integers, exact in both types.
        #expect(try t.tensor("bf16", as: Float.self).scalars == f)
        #expect(try t.tensor("e5m2", as: Float.self).scalars == f)
    }

    @Test("files Nabla writes load in numpy and safetensors with identical values")
    func nablaToPython() throws {
        let dir = TestData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var c = Checkpoint()
        for (type, name) in numpyNames { c[name] = Self.expected(type) }
        c.metadata["who"] = .string("nabla")
        var st = c
        st["complex128"] = nil   // not in the safetensors spec
        try st.save(to: dir + "/n.safetensors")
        try c.save(to: dir + "/stored.npz", options: WriteOptions(compress: false))
        try c.save(to: dir + "/deflated.npz")
        try Checkpoint([("x", Self.expected(.float16))]).save(to: dir + "/one.npy")
        var b = Checkpoint()
        b.set("bf16", try Self.expected(.float32).tensor(as: Float.self).map { BFloat16($0) })
        try b.save(to: dir + "/bf16.safetensors")
        // Lossy conversion as `nabla convert --dtype` does it, including exact ties (1 + 2⁻¹¹ for
        // float16, 1 + 2⁻⁸ and 1 + 3·2⁻⁸ for bfloat16), overflow, subnormals and NaN; Python checks the
        // bits against numpy's astype(float16) and the round-to-nearest-even bfloat16 formula.
        var rng = SplitMix64(seed: 11)
        let specials: [Float] = [1 + 0x1p-11, 1 + 0x1p-8, 1 + 3 * 0x1p-8, 70000, -1e-7, 3e38, .nan, -0.0, .infinity]
        let values = specials + (0..<1000).map { _ in Float(bitPattern: UInt32(truncatingIfNeeded: rng.next()) & 0xBFFF_FFFF) }
        let source = Checkpoint([("x", AnyTensor(Tensor<Float>(shape: [values.count], scalars: values)))])
        try Checkpoint([("f32", source["x"]!),
                        ("f16", try source.converted(floatingPointTo: .float16, casting: .allowLossy)["x"]!),
                        ("bf16", try source.converted(floatingPointTo: .bfloat16, casting: .allowLossy)["x"]!)])
            .save(to: dir + "/cast.safetensors")
        _ = b
        let script = Self.script.replacingOccurrences(of: "%@", with: Self.names) + """

        from safetensors import safe_open
        d = sys.argv[1]
        with safe_open(d + '/n.safetensors', 'np') as f:
            assert f.metadata() == {'who': 'nabla'}, f.metadata()
            st = [n for n in names if n != 'complex128']
            assert sorted(f.keys()) == sorted(st), f.keys()
            for n in st:
                a = f.get_tensor(n)
                assert a.dtype == value(n).dtype and np.array_equal(a, value(n)), n
        for z in ['stored.npz', 'deflated.npz']:
            with np.load(d + '/' + z) as f:
                assert sorted(f.files) == sorted(names), f.files
                for n in names: assert np.array_equal(f[n], value(n)) and f[n].dtype == value(n).dtype, (z, n)
        one = np.load(d + '/one.npy')
        assert one.dtype == np.float16 and np.array_equal(one, value('float16'))
        # bfloat16 without torch: safetensors.deserialize validates the file and hands back raw bytes.
        from safetensors import deserialize
        [(name, t)] = deserialize(open(d + '/bf16.safetensors', 'rb').read())
        bits = np.frombuffer(bytes(t['data']), dtype=np.uint16).astype(np.uint32) << 16
        assert name == 'bf16' and t['dtype'] == 'BF16' and t['shape'] == [3, 4], t
        assert np.array_equal(bits.view(np.float32).reshape(3, 4), value('float32'))
        tensors = dict(deserialize(open(d + '/cast.safetensors', 'rb').read()))
        f32 = np.frombuffer(bytes(tensors['f32']['data']), dtype=np.float32)
        f16 = np.frombuffer(bytes(tensors['f16']['data']), dtype=np.uint16)
        with np.errstate(over='ignore'):
            assert np.array_equal(f16, f32.astype(np.float16).view(np.uint16)), 'float16 rounding differs from numpy'
        u = f32.view(np.uint32).astype(np.uint64)
        rne = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)
        bf = np.frombuffer(bytes(tensors['bf16']['data']), dtype=np.uint16)
        finite = ~np.isnan(f32)
        assert np.array_equal(bf[finite], rne[finite]), 'bfloat16 rounding differs'
        assert np.all(np.isnan((bf[~finite].astype(np.uint32) << 16).view(np.float32)))
        print('ok')
        """
        let r = try #require(runPython(script, [dir]))
        #expect(r.status == 0 && r.output.contains("ok"), "\(r.output)")
    }
}
