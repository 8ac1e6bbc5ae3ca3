import Testing
import NablaTensor
import NablaAutograd

/// micrograd's engine in a few lines, as an independent oracle: a scalar `Value` with its inputs
/// and a backward closure that accumulates (`+=`) into them, run over a topological order.
final class Value {
    var data: Double
    var grad = 0.0
    let inputs: [Value]
    var backward: () -> Void = {}
    init(_ data: Double, _ inputs: [Value] = []) {
        self.data = data
        self.inputs = inputs
    }
    static func + (a: Value, b: Value) -> Value {
        let out = Value(a.data + b.data, [a, b])
        out.backward = { [unowned out] in a.grad += out.grad; b.grad += out.grad }
        return out
    }
    static func * (a: Value, b: Value) -> Value {
        let out = Value(a.data * b.data, [a, b])
        out.backward = { [unowned out] in a.grad += b.data * out.grad; b.grad += a.data * out.grad }
        return out
    }
    func tanh() -> Value {
        let t = Double.tanh(data)
        let out = Value(t, [self])
        out.backward = { [unowned out, self] in self.grad += (1 - t * t) * out.grad }
        return out
    }
    func sin() -> Value {
        let out = Value(Double.sin(data), [self])
        out.backward = { [unowned out, self] in self.grad += Double.cos(self.data) * out.grad }
        return out
    }
    func runBackward() {
        var topo: [Value] = []
        var seen = Set<ObjectIdentifier>()
        func build(_ v: Value) {
            guard seen.insert(ObjectIdentifier(v)).inserted else { return }
            for i in v.inputs { build(i) }
            topo.append(v)
        }
        build(self)
        grad = 1
        for v in topo.reversed() { v.backward() }
    }
}

@Suite struct ScalarOracleTests {
    /// A random expression DAG over four inputs, built the same way on both engines: each step
    /// combines two earlier nodes (so values are reused, exercising accumulation).
    @Test(arguments: 0..<20)
    func randomExpressionsAgree(seed: Int) {
        var rng = PhiloxGenerator(seed: UInt64(seed))
        func next(_ n: Int) -> Int { Int(rng.next() % UInt64(n)) }
        var plan: [(op: Int, a: Int, b: Int)] = []
        for k in 0..<30 { plan.append((next(4), next(4 + k), next(4 + k))) }
        let inputs: [Double] = [0.3, -0.7, 1.1, 0.5]

        var values = inputs.map { Value($0) }
        for p in plan {
            let a = values[p.a], b = values[p.b]
            switch p.op {
            case 0: values.append(a + b)
            case 1: values.append(a * b)
            case 2: values.append((a + b).tanh())
            default: values.append((a * b).sin())
            }
        }
        var out = values[4]
        for v in values[5...] { out = out + v }
        out.runBackward()

        let (y, g) = valueWithGradient(at: inputs.map { Tensor<Double>($0) }) { xs in
            var vs = xs
            for p in plan {
                let a = vs[p.a], b = vs[p.b]
                switch p.op {
                case 0: vs.append(a + b)
                case 1: vs.append(a * b)
                case 2: vs.append((a + b).tanh())
                default: vs.append((a * b).sin())
                }
            }
            var o = vs[4]
            for v in vs[5...] { o = o + v }
            return o
        }
        // Same operations in the same order: the values agree to a few ulps (libm vs. the tensor
        // kernels may differ in the last bit for tanh/sin, and values can grow to ~1e3).
        #expect(abs(y.scalar - out.data) <= 1e-12 * Swift.max(1, abs(out.data)))
        for i in 0..<4 {
            #expect(abs(g[i].scalar - values[i].grad) <= 1e-12 * Swift.max(1, abs(values[i].grad)))
        }
    }
}
