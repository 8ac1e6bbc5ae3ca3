import Testing
import NablaTensor
import NablaAutograd
@Test func vmapDebug() {
    let x = Tensor<Double>.randomNormal([3, 5, 3], seed: 1)
    let r = vmap({ (v: Variable<Double>) -> Variable<Double> in
        let c = v - v.mean(axis: 0, keepingDims: true)
        print("c", c.shape, c.value.shape, "cT", c.transposed().shape, c.transposed().value.shape)
        return c.transposed().matmul(c)
    })(Variable(x))
    print(r.shape)
}
