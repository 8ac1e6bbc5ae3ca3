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
]
