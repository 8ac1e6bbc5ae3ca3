import NablaTensor

/// Linear-algebra entries of ``builtinOps`` (filled as those ops are added).
let linearAlgebraBuiltins: [any RegisteredOperator] = []
