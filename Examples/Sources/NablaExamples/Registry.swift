/// Every example, in the order of the lecture notes and of docs/examples.md.
public let allExamples: [Example] = [
    Example(name: "linear-regression",
            summary: "normal equation (lstsq, QR) vs gradient descent; the step-size lesson on f(x) = x²") {
        try linearRegression().output
    },
    Example(name: "polynomial-regression",
            summary: "degree 1…16 on the sine data: over-fitting, ridge λ on validation, degree-5/16 fits") {
        try polynomialRegression().output
    },
    Example(name: "maximum-likelihood",
            summary: "squared loss = Gaussian likelihood (same minimizer and gradients); λ̂ = 1/x̄ for Exp(2), n = 1000") {
        try maximumLikelihood().output
    },
    Example(name: "bias-variance",
            summary: "noise + bias² + variance = expected squared error, by refitting on 200 resampled data sets") {
        try biasVariance().output
    },
    Example(name: "lasso",
            summary: "L1 by proximal gradient (ISTA) gives exact zeros, L2 (ridge) does not") {
        try lasso().output
    },
    Example(name: "classification",
            summary: "LDA, logistic regression, perceptron, least squares and cuts on two Gaussians; outliers") {
        try classification().output
    },
    Example(name: "softmax-circles",
            summary: "softmax regression on 3 classes; logistic regression on Φ(x) separates two circles") {
        try softmaxAndCircles().output
    },
    Example(name: "p-norm-circles",
            summary: "the unit circles of the p-norms, p = 0.5, 1, 1.5, 2, 3, 4, ∞") {
        pNormCircles()
    },
    Example(name: "vanishing-gradients",
            summary: "per-layer gradient histograms of a deep sigmoid network beside ReLU; σ′(10) = 4.5396e−5") {
        vanishingGradients().output
    },
    Example(name: "decision-boundaries",
            summary: "001's demos: 4 classes, two hidden ReLU layers + L2; 2 classes, one hidden layer") {
        try decisionBoundaries().output
    },
    Example(name: "universal-approximation",
            summary: "one hidden layer fitting a 1-D function: the error falls as the width grows") {
        try universalApproximation().output
    },
    Example(name: "optimizer-paths",
            summary: "GD vs mini-batch SGD on logistic regression; SGD/momentum/Adam/RMSprop on an ill-conditioned quadratic") {
        try optimizerPaths().output
    },
]
