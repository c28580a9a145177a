package io.loyalflow.clv;

import java.util.Map;

/**
 * A model fitted by maximum likelihood, with what it took and whether the optimum can be trusted.
 *
 * @param standardErrors by parameter name, in the model's order, from the observed information (the
 *     inverse of the numerical Hessian of the log-likelihood at the optimum); NaN when the Hessian is
 *     not positive definite
 * @param observations customers the likelihood covers
 * @param groups distinct likelihood terms actually evaluated (customers with identical summaries share one)
 * @param iterations Nelder–Mead iterations over all restarts
 * @param evaluations log-likelihood evaluations, including those for the Hessian and the Newton steps
 * @param restarts Nelder–Mead runs after the first
 * @param converged whether the optimum stopped moving on restart, the Hessian there is positive
 *     definite and a Newton step would gain less than 1e-6 in log-likelihood
 * @param convergence the reason, in words, either way
 * @param seconds wall-clock time of the fit
 */
public record ModelFit<M>(
        M model,
        Map<String, Double> standardErrors,
        double logLikelihood,
        int observations,
        int groups,
        int iterations,
        int evaluations,
        int restarts,
        boolean converged,
        String convergence,
        double seconds) {

    public double standardError(String parameter) {
        Double standardError = standardErrors.get(parameter);
        if (standardError == null) {
            throw new IllegalArgumentException("no parameter " + parameter + " (" + standardErrors.keySet() + ")");
        }
        return standardError;
    }
}
