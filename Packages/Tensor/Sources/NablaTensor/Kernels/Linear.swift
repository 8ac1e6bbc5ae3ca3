import CNablaVector

// A linear layer's forward and backward as few passes over memory as the arithmetic allows.
//
// Forward, `y = x·Wᵀ + b` (then `max(y, 0)` when a ReLU follows): one GEMM whose epilogue adds the
// bias and clamps while the tile is still in registers (`nabla_small_sgemm_at_epilogue`), where
// the unfused ops wrote the product, read it back to add the bias, and read it again for the ReLU,
// each into a new buffer. Backward: the ReLU mask applied once into scratch, then `x̄ = ḡ·W`,
// `W̄ = ḡᵀ·x` and `b̄ = Σᵢ ḡᵢ` (one pass over ḡ's rows). The products are the calls the unfused
// `matmul` makes, and the bias is added to the rounded product, so values and the input and weight
// gradients are bit for bit the unfused ops'; the bias gradient sums rows in order as `sum(axes: [0])`
// does (one output: its eight accumulators), so it is too.

extension Tensor where Scalar: TensorFloatingPoint {
    /// `self·weightᵀ + bias` over the last axis, then `max(·, 0)` when `fusingReLU`. Mirrors
    /// `torch.nn.functional.linear` (followed by `torch.relu`).
    ///
    /// `self` is `[..., in]`, `weight` `[out, in]`, `bias` `[out]`; the result is `[..., out]`.
    /// Stops with the shapes if they do not fit.
    @inlinable public func linear(weight: Tensor, bias: Tensor? = nil, fusingReLU: Bool = false) -> Tensor {
        precondition(rank >= 1 && weight.rank == 2 && _shape[rank - 1] == weight._shape[1],
                     "linear: input \(shape) and weight \(weight.shape) (expected [..., in] and [out, in])")
        let out = weight._shape[0], k = weight._shape[1]
        precondition(bias.map { $0.rank == 1 && $0._shape[0] == out } ?? true, "linear: bias \(bias!.shape) for \(out) outputs")
        let rows = count / Swift.max(k, 1)
        var resultShape = _shape
        resultShape[rank - 1] = out
        var y = Tensor._recycled(shape: resultShape)
        if rows == 0 || out == 0 { return y }
        if k == 0 {
            // An empty product: the bias alone.
            let b = bias?.contiguous
            for i in 0..<rows { for j in 0..<out { y.storage.base[i * out + j] = b.map { $0.storage.base[$0._offset + j] } ?? 0 } }
            if fusingReLU { y._reluInPlace() }
            return y
        }
        // A matrix, a weight BLAS can read and a dense bias (a layer's usual operands): the product
        // straight from them, without copying the tensors (a retain and a release per reference).
        if rank == 2, bias.map({ $0.isContiguous }) ?? true,
           let lx = Tensor.blasLayout(rows: rows, cols: k, rowStride: _stride(0), colStride: _stride(1)),
           let lw = Tensor.blasLayout(rows: out, cols: k, rowStride: weight._stride(0), colStride: weight._stride(1)) {
            let pa = UnsafePointer(storage.base + _offset), pb = UnsafePointer(weight.storage.base + weight._offset)
            let pbias = bias.map { UnsafePointer($0.storage.base + $0._offset) }
            withExtendedLifetime(self) { withExtendedLifetime(weight) { withExtendedLifetime(bias) {
                Tensor._linearProduct(rows: rows, out: out, k: k, a: pa, lx: lx, b: pb, lw: lw, c: y.storage.base,
                                      bias: pbias, fusingReLU: fusingReLU)
            } } }
            return y
        }
        var x = rank == 2 ? self : reshaped([rows, k])
        var lx = Tensor.blasLayout(rows: rows, cols: k, rowStride: x._stride(0), colStride: x._stride(1))
        if lx == nil { x = x.copied(); lx = BLASOperand(transposed: false, leadingDimension: k) }
        // op(B) = Wᵀ: W row-major (or a transposed view of a row-major matrix).
        var w = weight
        var lw = Tensor.blasLayout(rows: out, cols: k, rowStride: w._stride(0), colStride: w._stride(1))
        if lw == nil { w = w.copied(); lw = BLASOperand(transposed: false, leadingDimension: k) }
        let b = bias?.contiguous
        let pa = UnsafePointer(x.storage.base + x._offset), pb = UnsafePointer(w.storage.base + w._offset)
        let pbias = b.map { UnsafePointer($0.storage.base + $0._offset) }
        withExtendedLifetime(x) { withExtendedLifetime(w) { withExtendedLifetime(b) {
            Tensor._linearProduct(rows: rows, out: out, k: k, a: pa, lx: lx!, b: pb, lw: lw!, c: y.storage.base,
                                  bias: pbias, fusingReLU: fusingReLU)
        } } }
        return y
    }

    /// `c = a·bᵀ (+ bias per column) (then max(·, 0))` for ``linear(weight:bias:fusingReLU:)``: `a`
    /// is `rows × k` as `lx` lays it out, `b` is `out × k` as `lw` does, `c` dense `rows × out`.
    /// The GEMM kernel's epilogue when it takes the product; else BLAS with the bias as C's
    /// initial value (beta = 1), then the ReLU as its own pass.
    @inlinable static func _linearProduct(rows: Int, out: Int, k: Int, a pa: UnsafePointer<Scalar>, lx: BLASOperand,
                                          b pb: UnsafePointer<Scalar>, lw: BLASOperand, c: UnsafeMutablePointer<Scalar>,
                                          bias pbias: UnsafePointer<Scalar>?, fusingReLU: Bool) {
        // op(B) = Wᵀ: W row-major (or a transposed view of a row-major matrix).
        if _gemmEpilogue(transposeA: lx.transposed, transposeB: !lw.transposed, m: rows, n: out, k: k,
                         a: pa, lda: lx.leadingDimension, b: pb, ldb: lw.leadingDimension,
                         c: c, bias: pbias, relu: fusingReLU) { return }
        if let pbias {
            for i in 0..<rows { (c + i * out).update(from: pbias, count: out) }
        }
        Scalar.gemm(transposeA: lx.transposed, transposeB: !lw.transposed, m: rows, n: out, k: k,
                    alpha: 1, a: pa, lda: lx.leadingDimension, b: pb, ldb: lw.leadingDimension,
                    beta: pbias == nil ? 0 : 1, c: c, ldc: out)
        if fusingReLU {
            if Scalar.self == Float.self {
                let f = UnsafeMutableRawPointer(c).assumingMemoryBound(to: Float.self)
                _reluKernel(f, f, rows * out)
            } else if Scalar.self == Double.self {
                let d = UnsafeMutableRawPointer(c).assumingMemoryBound(to: Double.self)
                _reluKernel(d, d, rows * out)
            } else {
                for i in 0..<(rows * out) { c[i] = c[i] > 0 ? c[i] : 0 }
            }
        }
    }

    /// The gradients of ``linear(weight:bias:fusingReLU:)`` at input `self`, for the output
    /// cotangent `cotangent` (`output` is the forward's result, read for the ReLU mask when
    /// `fusingReLU`): `(x̄, W̄, b̄)`, each computed only if its flag is set.
    ///
    /// `x̄ = ḡ·W` and `W̄ = ḡᵀ·x` are the GEMM calls `matmul` makes for the unfused ops, and the mask
    /// is applied as `ReLU`'s backward does (`ȳ·1[y > 0]`), so both are bit for bit the unfused
    /// gradients; `b̄` sums `ḡ`'s rows in order in the masking pass (one output: as `sum(axes:)`
    /// sums one column), so it is too.
    @inlinable public func linearBackward(weight: Tensor, output: Tensor, cotangent: Tensor, fusingReLU: Bool,
                                          needInput: Bool, needWeight: Bool, needBias: Bool)
        -> (input: Tensor?, weight: Tensor?, bias: Tensor?) {
        let out = weight._shape[0], k = weight._shape[1]
        let rows = count / Swift.max(k, 1)
        precondition(cotangent.count == rows * out, "linearBackward: cotangent \(cotangent.shape) for \(rows)×\(out) outputs")
        let n = rows * out
        let ct = cotangent.isContiguous ? cotangent : cotangent.contiguous
        if let fast = _narrowWeightGradient(weight: weight, output: output, cotangent: ct, fusingReLU: fusingReLU,
                                            needInput: needInput, needWeight: needWeight, needBias: needBias) {
            return (nil, fast.weight, fast.bias)
        }
        // ḡ, dense [rows, out]: the masked cotangent in scratch, or the cotangent itself; b̄ summed
        // in the same pass over its rows.
        var owned: UnsafeMutablePointer<Scalar>? = nil
        // One output: `sum(axes: [0])` sums a single column with eight accumulators (`sumRun`), so
        // the bias gradient is summed that way below, after the pass, to keep the unfused bits.
        let biasSum: UnsafeMutablePointer<Scalar>? = needBias && out != 1 ? .allocate(capacity: Swift.max(out, 1)) : nil
        biasSum?.initialize(repeating: 0, count: out)
        defer { biasSum?.deallocate() }
        let o = fusingReLU ? (output.isContiguous ? output : output.contiguous) : ct
        if fusingReLU && n > 0 { owned = Tensor._allocateScratch(count: n) }
        if n > 0 && (owned != nil || biasSum != nil) {
            let pc = UnsafePointer(ct.storage.base + ct._offset), po = UnsafePointer(o.storage.base + o._offset)
            withExtendedLifetime(o) { withExtendedLifetime(ct) {
                Tensor._maskRowsAndSumColumns(mask: owned == nil ? nil : po, cotangent: pc, into: owned, columnSums: biasSum,
                                              rows: rows, columns: out)
            } }
        }
        defer { if let owned { Tensor._deallocateScratch(owned, count: n) } }
        let g = ct
        let pg = UnsafePointer(owned ?? (ct.storage.base + ct._offset))
        var dx: Tensor? = nil, dw: Tensor? = nil, db: Tensor? = nil
        if needInput {
            let r = Tensor._recycled(shape: _shape)
            if k > 0 && rows > 0 {
                if out == 0 {
                    r.storage.base.initialize(repeating: 0, count: rows * k)
                } else {
                    let w = weight.isContiguous ? weight : weight.contiguous
                    withExtendedLifetime(g) { withExtendedLifetime(w) {
                        Scalar.gemm(transposeA: false, transposeB: false, m: rows, n: k, k: out, alpha: 1,
                                    a: pg, lda: out, b: w.storage.base + w._offset, ldb: k, beta: 0,
                                    c: r.storage.base, ldc: k)
                    } }
                }
            }
            dx = r
        }
        if needWeight {
            // x as it lies when it is a matrix BLAS can read (a transposed view too, as `matmul` reads it).
            var x = rank == 2 ? self : reshaped([rows, k])
            var lx = Tensor.blasLayout(rows: rows, cols: k, rowStride: x._stride(0), colStride: x._stride(1))
            if lx == nil { x = x.copied(); lx = BLASOperand(transposed: false, leadingDimension: k) }
            let r = Tensor(shape: [out, k]) { _ in }
            if out > 0 && k > 0 {
                if rows == 0 {
                    r.storage.base.initialize(repeating: 0, count: out * k)
                } else {
                    withExtendedLifetime(g) { withExtendedLifetime(x) {
                        Scalar.gemm(transposeA: true, transposeB: lx!.transposed, m: out, n: k, k: rows, alpha: 1,
                                    a: pg, lda: out, b: x.storage.base + x._offset, ldb: lx!.leadingDimension, beta: 0,
                                    c: r.storage.base, ldc: k)
                    } }
                }
            }
            dw = r
        }
        if let biasSum { db = Tensor(shape: [out]) { $0.baseAddress!.initialize(from: biasSum, count: out) } }
        if needBias && out == 1 { db = Tensor([withExtendedLifetime(g) { Tensor.sumRun(pg, rows) }]) }
        return (dx, dw, db)
    }

    /// `(W̄, b̄)` of a Float layer with 2 to 4 inputs (and 2 outputs or more) whose input gradient is not wanted (the
    /// first layer of a network on low-dimensional data), in the one pass that masks the cotangent
    /// (`nabla_linear_weight_grad_narrow_f32`): the masked cotangent is never written. The same
    /// operations in the same order as the GEMM, so the same bits. `nil` where it does not apply.
    @inlinable func _narrowWeightGradient(weight: Tensor, output: Tensor, cotangent ct: Tensor, fusingReLU: Bool,
                                          needInput: Bool, needWeight: Bool, needBias: Bool) -> (weight: Tensor, bias: Tensor?)? {
        let out = weight._shape[0], k = weight._shape[1]
        // k and out from 2: a product with one row or column is a GEMV in `matmul` (another order).
        guard Scalar.self == Float.self, !needInput, needWeight, k >= 2, k <= 4, out >= 2, count > 0,
              VectorLevel.current == .avx512 else { return nil }
        let rows = count / k
        let x = rank == 2 ? self : contiguous.reshaped([rows, k])
        let o = fusingReLU ? (output.isContiguous ? output : output.contiguous) : ct
        let dw = Tensor(shape: [out, k]) { _ in }
        let db: Tensor? = needBias ? Tensor.zeros([out]) : nil
        let f = { (p: UnsafeMutablePointer<Scalar>) in UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self) }
        // Each kept alive on its own (a tuple of them would be a copy: a retain and a release per reference).
        let done = withExtendedLifetime(x) { withExtendedLifetime(o) { withExtendedLifetime(ct) {
            withExtendedLifetime(dw) { withExtendedLifetime(db) {
                nabla_linear_weight_grad_narrow_f32(
                    f(ct.storage.base + ct._offset), fusingReLU ? UnsafePointer(f(o.storage.base + o._offset)) : nil,
                    f(x.storage.base + x._offset), x._stride(0), x._stride(1), rows, out, k,
                    db.map { f($0.storage.base) }, f(dw.storage.base))
            } }
        } } }
        return done != 0 ? (dw, db) : nil
    }

    /// One pass over the rows of a dense `[rows, columns]` cotangent: `g = ct·1[mask > 0]` written to
    /// `into` when `mask` is given (the ReLU's backward, as `reluBackward` computes it), and the
    /// column sums of `g` (or of `ct`) added to `columnSums` row by row, when given. Float runs
    /// `nabla_mask_colsum_f32` (sixteen columns per AVX-512 step, each column's sum in a register).
    @inlinable static func _maskRowsAndSumColumns(mask: UnsafePointer<Scalar>?, cotangent: UnsafePointer<Scalar>,
                                                  into g: UnsafeMutablePointer<Scalar>?, columnSums: UnsafeMutablePointer<Scalar>?,
                                                  rows: Int, columns: Int) {
        if Scalar.self == Float.self {
            nabla_mask_colsum_f32(UnsafeRawPointer(cotangent).assumingMemoryBound(to: Float.self),
                                  mask.map { UnsafeRawPointer($0).assumingMemoryBound(to: Float.self) },
                                  g.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Float.self) },
                                  columnSums.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: Float.self) },
                                  rows, columns)
            return
        }
        for i in 0..<rows {
            for j in 0..<columns {
                let c = cotangent[i * columns + j]
                let v = mask.map { c * ($0[i * columns + j] > 0 ? 1 : 0) } ?? c
                g?[i * columns + j] = v
                columnSums?[j] += v
            }
        }
    }

    /// `max(self, 0)` in place on a dense buffer this tensor owns (the fallback path of `linear`).
    @inlinable mutating func _reluInPlace() {
        let p = storage.base + _offset, n = count
        if Scalar.self == Float.self {
            let f = UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self)
            _reluKernel(f, f, n)
        } else if Scalar.self == Double.self {
            let d = UnsafeMutableRawPointer(p).assumingMemoryBound(to: Double.self)
            _reluKernel(d, d, n)
        } else {
            for i in 0..<n { p[i] = p[i] > 0 ? p[i] : 0 }
        }
    }

    /// `C = op(A)·op(B) (+ bias per column) (then max(·, 0))` for a dense `m×n` C through the GEMM
    /// kernel's epilogue, on the calling thread or cut across Nabla's threads as `gemm` cuts it.
    /// False, writing nothing, when the kernel does not take the product (see `usesGEMMKernel`) or
    /// it is a matrix–vector product.
    /// `transposeB` false means op(B) is `b` read row by row with row stride `ldb`.
    @inlinable static func _gemmEpilogue(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
                                         a: UnsafePointer<Scalar>, lda: Int, b: UnsafePointer<Scalar>, ldb: Int,
                                         c: UnsafeMutablePointer<Scalar>, bias: UnsafePointer<Scalar>?, relu: Bool) -> Bool {
        // One row or one column is a matrix–vector product, which `gemm` computes with GEMV (another
        // summation order): those take the BLAS path, so that the values stay the unfused ops'.
        guard Scalar.self == Float.self || Scalar.self == Double.self, m > 1, n > 1,
              usesGEMMKernel(m: m, n: n, k: k) else { return false }
        let (rsa, csa) = operandStrides(transposed: transposeA, ld: lda)
        let (rsb, csb) = operandStrides(transposed: transposeB, ld: ldb)
        let level = nabla_vector_level()
        splitGEMM(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB, lda: lda, ldb: ldb, ldc: n,
                  byColumns: true) { m2, n2, da, db, dc in
            // A piece of rows starts at column 0; a piece of columns at column `dc` of row 0.
            let pbias = bias.map { $0 + dc % n }
            let ok: Int32
            if Scalar.self == Float.self {
                ok = nabla_small_sgemm_at_epilogue(
                    level, m2, n2, k, 1, UnsafeRawPointer(a + da).assumingMemoryBound(to: Float.self), rsa, csa,
                    UnsafeRawPointer(b + db).assumingMemoryBound(to: Float.self), rsb, csb, 0,
                    UnsafeMutableRawPointer(c + dc).assumingMemoryBound(to: Float.self), n, 1,
                    pbias.map { UnsafeRawPointer($0).assumingMemoryBound(to: Float.self) }, relu ? 1 : 0)
            } else {
                ok = nabla_small_dgemm_at_epilogue(
                    level, m2, n2, k, 1, UnsafeRawPointer(a + da).assumingMemoryBound(to: Double.self), rsa, csa,
                    UnsafeRawPointer(b + db).assumingMemoryBound(to: Double.self), rsb, csb, 0,
                    UnsafeMutableRawPointer(c + dc).assumingMemoryBound(to: Double.self), n, 1,
                    pbias.map { UnsafeRawPointer($0).assumingMemoryBound(to: Double.self) }, relu ? 1 : 0)
            }
            guard ok == 0 else { return }
            // The kernel refused the piece (no memory for its packed panels): BLAS with the bias as
            // C's initial value, then the ReLU.
            let cc = c + dc
            if let pbias { for i in 0..<m2 { (cc + i * n).update(from: pbias, count: n2) } }
            Scalar.gemm(transposeA: transposeA, transposeB: transposeB, m: m2, n: n2, k: k, alpha: 1, a: a + da, lda: lda,
                        b: b + db, ldb: ldb, beta: pbias == nil ? 0 : 1, c: cc, ldc: n)
            if relu { for i in 0..<m2 { for j in 0..<n2 { let v = cc[i * n + j]; cc[i * n + j] = v > 0 ? v : 0 } } }
        }
        return true
    }
}

