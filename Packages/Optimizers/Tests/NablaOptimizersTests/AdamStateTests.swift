import Testing
import NablaAutograd
import _NablaTestSupport
@testable import NablaOptimizers

/// Adam's per-parameter state in slots (`ParameterState`) and its bias corrections computed once
/// per step count: against PyTorch in Float (scripts/torch_small_step_reference.py), with
/// parameters whose step counts differ, resumed from a state dictionary, and the slots' bookkeeping.
@Suite("Adam state")
struct AdamStateTests {
    /// Adam(lr = 0.01) over p = [1, −2, 0.5] and q = [0.25, 4]: Σp² at step 1, Σp² + Σq² after
    /// (q has no gradient at step 1, so its step count lags p's); `resumeAfter` saves the state
    /// dictionary after that many steps and continues with a fresh optimizer loaded from it.
    func run(steps: Int, resumeAfter: Int? = nil) throws -> (p: Parameter<Float>, q: Parameter<Float>, adam: Adam<Float>) {
        var p = Parameter(Tensor<Float>([1, -2, 0.5])), q = Parameter(Tensor<Float>([0.25, 4]))
        var adam = try Adam([p, q], learningRate: 0.01)
        for k in 0..<steps {
            if k == resumeAfter {
                let saved = adam.stateDictionary()
                p = Parameter(p.value)
                q = Parameter(q.value)
                adam = try Adam([p, q], learningRate: 0.5)   // the dictionary's lr replaces it
                try adam.load(stateDictionary: saved)
            }
            adam.zeroGradients()
            let loss = k == 0 ? (p.variable * p.variable).sum() : (p.variable * p.variable).sum() + (q.variable * q.variable).sum()
            loss.backward()
            adam.step()
        }
        return (p, q, adam)
    }

    func expectFloats(_ actual: [Float], _ expected: [Double], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, sourceLocation: sourceLocation)
        for (a, e) in zip(actual, expected) {
            #expect(ulpDistance(a, Float(e)) <= 1, "\(actual) vs PyTorch \(expected)", sourceLocation: sourceLocation)
        }
    }

    /// Three steps; the parameters and both moments of each against torch float32.
    @Test func differentStepCountsInOneGroupMatchTorch() throws {
        let (p, q, adam) = try run(steps: 3)
        expectFloats(p.value.scalars, [0.9700101017951965, -1.970004916191101, 0.4700213372707367])
        expectFloats(q.value.scalars, [0.2300127148628235, 3.9800007343292236])
        let sp = adam.state(for: p), sq = adam.state(for: q)
        #expect(Set(sp.keys) == ["step", "exp_avg", "exp_avg_sq"])
        #expect(sp["step"]?.scalar == 3)
        #expect(sq["step"]?.scalar == 2)
        expectFloats(sp["exp_avg"]!.scalars, [0.5362005233764648, -1.0782002210617065, 0.2652011513710022])
        expectFloats(sp["exp_avg_sq"]!.scalars, [0.011750105768442154, 0.047474198043346405, 0.0028790629003196955])
        expectFloats(sq["exp_avg"]!.scalars, [0.09300000220537186, 1.5180000066757202])
        expectFloats(sq["exp_avg_sq"]!.scalars, [0.00048015001812018454, 0.12761640548706055])
    }

    /// Saved after two steps, loaded into a fresh optimizer (the buffers land in slots in the
    /// dictionary's order), one more step: PyTorch's uninterrupted values, and the same state
    /// dictionary as the uninterrupted run.
    @Test func resumedFromStateDictionaryMatchesTorch() throws {
        let resumed = try run(steps: 3, resumeAfter: 2), straight = try run(steps: 3)
        expectFloats(resumed.p.value.scalars, [0.9700101017951965, -1.970004916191101, 0.4700213372707367])
        expectFloats(resumed.q.value.scalars, [0.2300127148628235, 3.9800007343292236])
        let a = resumed.adam.stateDictionary(), b = straight.adam.stateDictionary()
        #expect(a.hyperparameters == b.hyperparameters)
        #expect(Set(a.tensors.keys) == Set(b.tensors.keys))
        for (key, t) in b.tensors { #expect(a.tensors[key]?.scalars == t.scalars, "\(key)") }
    }

    /// Buffers set as a dictionary, then taken from the slots an optimizer asks for: each comes
    /// back under its key (moved into its slot), a missing one is created from `fill`, and
    /// `buffers` shows what was put back.
    @Test func slotsKeepBuffersUnderTheirKeys() {
        let a = Tensor<Double>([1, 2]), b = Tensor<Double>([3, 4]), c = Tensor<Double>([5, 6])
        let st = ParameterState<Double>(buffers: ["exp_avg_sq": b, "max_exp_avg_sq": c, "exp_avg": a])
        #expect(st.contains("exp_avg", slot: 0) && st.contains("max_exp_avg_sq", slot: 2) && !st.contains("sum", slot: 0))
        let m = st.take("exp_avg", slot: 0, shape: [2]), v = st.take("exp_avg_sq", slot: 1, shape: [2])
        let vmax = st.take("max_exp_avg_sq", slot: 2, shape: [2])
        #expect(m.scalars == a.scalars && v.scalars == b.scalars && vmax.scalars == c.scalars)
        #expect(st.buffers.isEmpty)   // all three taken out
        st.put("exp_avg", slot: 0, m * 2)
        st.put("exp_avg_sq", slot: 1, v)
        st.put("max_exp_avg_sq", slot: 2, vmax)
        #expect(Array(st.slotKeys.prefix(3)) == ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"])
        #expect(st.buffers.mapValues(\.scalars) == ["exp_avg": [2, 4], "exp_avg_sq": [3, 4], "max_exp_avg_sq": [5, 6]])
        // Another key asked for in an occupied slot moves the occupant, which keeps its buffer.
        let fresh = st.take("momentum_buffer", slot: 1, shape: [2], fill: 7)
        #expect(fresh.scalars == [7, 7])
        st.put("momentum_buffer", slot: 1, fresh)
        #expect(st.buffers.mapValues(\.scalars)
                == ["exp_avg": [2, 4], "exp_avg_sq": [3, 4], "max_exp_avg_sq": [5, 6], "momentum_buffer": [7, 7]])
        // In place, in the slots asked for: the buffers come in under their keys, changes stay.
        st.buffers = ["max_exp_avg_sq": c, "exp_avg": a]
        st.withSlots("exp_avg", "exp_avg_sq", "max_exp_avg_sq", shape: [2], fill: 9) { m, v, vmax in
            #expect(m.scalars == a.scalars && v.scalars == [9, 9] && vmax.scalars == c.scalars)
            m = m + 1
            vmax = vmax * 2
        }
        #expect(st.buffers.mapValues(\.scalars) == ["exp_avg": [2, 3], "exp_avg_sq": [9, 9], "max_exp_avg_sq": [10, 12]])
        #expect(a.scalars == [1, 2] && c.scalars == [5, 6])   // the caller's tensors are not written
        // Setting `buffers` replaces them; a removed key has no buffer any more.
        st.buffers = ["exp_avg": c]
        #expect(st.buffers.mapValues(\.scalars) == ["exp_avg": [5, 6]])
        #expect(!st.contains("exp_avg_sq", slot: 1))
    }
}
