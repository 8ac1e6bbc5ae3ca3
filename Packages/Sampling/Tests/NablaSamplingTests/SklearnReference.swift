/// Evidence-maximized precisions from scikit-learn's `BayesianRidge(fit_intercept=False, tol=1e-14,
/// max_iter=100000, lambda_init=1, alpha_1=alpha_2=lambda_1=lambda_2=0)` on
/// `Generators.sineRegression()` (seed 0), printed by benchmarks/bayes_sklearn_reference.py with
/// scikit-learn 1.9.1 and NumPy 2.4.6: `lambda_` is α (prior precision), `alpha_` is β (noise).
enum SklearnReference {
    /// (degree, input scale s (features of x/s), α = `lambda_`, β = `alpha_`).
    static let values: [(Int, Double, Double, Double)] = [
        (1, 1.0, 29.093999353339825, 2.5905571845654483),
        (3, 1.0, 991.7688111329578, 3.1875088692158458),
        (5, 1.0, 6.73335981487711, 39.509771565134926),
        (9, 1.0, 12.918434015160003, 45.55577407797661),
        (9, 5.0, 0.04248321614814219, 44.00280676911701),
        (16, 5.0, 0.04583276995906461, 51.97754030130101),
    ]
}
