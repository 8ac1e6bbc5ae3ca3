import Testing
import NablaTensor
import NablaAutograd
import _NablaTestSupport

/// Seed 001, "Chain Rule – Symbolic Differentiation Painful!": the learned-basis logistic model
/// `h(x) = wᵀσ(Ux)`, `L(w, U) = −Σᵢ yᵢ ln σ(hᵢ) + (1 − yᵢ) ln(1 − σ(hᵢ))`.
///
/// The correct derivation: with `p = σ(h)`, `∂L/∂h = −y(1 − p) + (1 − y)p = p − y`, so
/// `∂L/∂w = Σᵢ (σ(hᵢ) − yᵢ)·σ(Uxᵢ)` and `∂L/∂uⱼ = Σᵢ (σ(hᵢ) − yᵢ)·wⱼσ(uⱼxᵢ)(1 − σ(uⱼxᵢ))·xᵢ`.
/// The slide prints `yᵢ(1 − σ(hᵢ)) + (1 − yᵢ)σ(hᵢ)`, whose y-term has the wrong sign; we test the
/// correct form, and check that the slide's form differs.
@Suite struct LogisticModelTests {
    static let X = Tensor<Double>.randomNormal([6, 3], seed: 31)       // 6 samples xᵢ ∈ R³
    static let y = Tensor<Double>([1, 0, 1, 1, 0, 0])
    static let U = Tensor<Double>.randomNormal([4, 3], seed: 32)       // 4 learned basis functions
    static let w = Tensor<Double>.randomNormal([4], seed: 33)

    static func loss(_ w: Variable<Double>, _ U: Variable<Double>) -> Variable<Double> {
        let phi = Variable(X).matmul(U.transposed()).sigmoid()         // [6, 4]: σ(Uxᵢ) per row
        let p = phi.matmul(w).sigmoid()                                  // σ(hᵢ)
        let y = Variable(Self.y)
        return -(y * p.log() + (1 - y) * (1 - p).log()).sum()
    }

    @Test func gradientMatchesCorrectDerivation() {
        let (gw, gU) = gradient(at: Self.w, Self.U) { Self.loss($0, $1) }
        // Hand-derived, with plain tensor ops.
        let phi = Self.X.matmul(Self.U.transposed()).sigmoid()          // [6, 4]
        let p = phi.matmul(Self.w).sigmoid()                              // [6]
        let r = p - Self.y                                                // σ(hᵢ) − yᵢ
        let expectedW = r.matmul(phi)                                     // Σᵢ rᵢ σ(Uxᵢ)
        let expectedU = ((r.unsqueezed(axis: 1) * Self.w.unsqueezed(axis: 0) * phi * (1 - phi))
                         .transposed()).matmul(Self.X)                    // Σᵢ rᵢ wⱼ σ′(uⱼxᵢ) xᵢ
        // Both sides sum the same ~24 products in different orders: agreement to 1e-14 is a few ulps.
        #expect(allClose(gw, expectedW, rtol: 1e-13, atol: 1e-14))
        #expect(allClose(gU, expectedU, rtol: 1e-13, atol: 1e-14))
        // The slide's printed form y(1 − σ) + (1 − y)σ is not the gradient.
        let slide = (Self.y * (1 - p) + (1 - Self.y) * p).matmul(phi)
        #expect(!allClose(gw, slide, rtol: 1e-3, atol: 1e-3))
    }
}
