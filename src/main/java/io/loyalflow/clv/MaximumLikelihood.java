package io.loyalflow.clv;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.hipparchus.exception.MathRuntimeException;
import org.hipparchus.linear.CholeskyDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.optim.InitialGuess;
import org.hipparchus.optim.MaxEval;
import org.hipparchus.optim.PointValuePair;
import org.hipparchus.optim.SimpleValueChecker;
import org.hipparchus.optim.nonlinear.scalar.GoalType;
import org.hipparchus.optim.nonlinear.scalar.ObjectiveFunction;
import org.hipparchus.optim.nonlinear.scalar.noderiv.NelderMeadSimplex;
import org.hipparchus.optim.nonlinear.scalar.noderiv.SimplexOptimizer;

/**
 * Maximises a log-likelihood over the logarithms of its (positive) parameters: Nelder–Mead, restarted
 * from its optimum with a fresh simplex until the optimum stops moving (a collapsed simplex can stop
 * short of the optimum, and a restart is the cheap way to notice), then Newton steps with a numerical
 * Hessian, which also gives the standard errors.
 */
final class MaximumLikelihood {

    /** Nelder–Mead stops when the values at all vertices agree to this (relative, absolute). */
    private static final double VALUE_TOLERANCE_RELATIVE = 1e-14;

    private static final double VALUE_TOLERANCE_ABSOLUTE = 1e-12;
    private static final int EVALUATIONS_PER_RUN = 20_000;
    private static final int MAX_RESTARTS = 12;
    /**
     * A restart that moves no log-parameter more than STILL_STEP, or gains less than STILL_GAIN relative to
     * the log-likelihood, ends the search (the Newton steps after it finish the last digits).
     */
    private static final double STILL_STEP = 1e-6;

    private static final double STILL_GAIN = 1e-10;
    private static final double HESSIAN_STEP = 1e-3;
    private static final double GRADIENT_STEP = 1e-5;
    private static final int NEWTON_STEPS = 5;
    /** Largest predicted gain of a Newton step, gᵀH⁻¹g / 2, at which the optimum counts as found. */
    private static final double NEWTON_DECREMENT = 1e-6;

    private final ToDoubleFunction<double[]> logLikelihood;
    private final String[] names;
    private int evaluations;

    private MaximumLikelihood(ToDoubleFunction<double[]> logLikelihood, String[] names) {
        this.logLikelihood = logLikelihood;
        this.names = names;
    }

    /** The result in log-parameters; standard errors are of the parameters themselves. */
    record Result(
            double[] logParameters,
            double logLikelihood,
            Map<String, Double> standardErrors,
            int iterations,
            int evaluations,
            int restarts,
            boolean converged,
            String convergence) {

        double parameter(int i) {
            return Math.exp(logParameters[i]);
        }
    }

    /**
     * @param logLikelihood of the log-parameters; may return -infinity or NaN where the likelihood is
     *     not defined, which the search treats as worst
     */
    static Result maximise(ToDoubleFunction<double[]> logLikelihood, double[] start, String... names) {
        return new MaximumLikelihood(logLikelihood, names).run(start);
    }

    /** The log-likelihood, or -infinity where a parameter is 0 or infinite in double or the value is not finite. */
    private double evaluate(double[] point) {
        evaluations++;
        for (double logParameter : point) {
            double parameter = Math.exp(logParameter);
            if (!(parameter > 0) || parameter == Double.POSITIVE_INFINITY) {
                return Double.NEGATIVE_INFINITY;
            }
        }
        double value = logLikelihood.applyAsDouble(point);
        return Double.isFinite(value) ? value : Double.NEGATIVE_INFINITY;
    }

    private Result run(double[] start) {
        int dimension = start.length;
        double[] point = start.clone();
        double best = evaluate(point);
        if (!Double.isFinite(best)) {
            throw new IllegalArgumentException("the log-likelihood is not finite at the start point");
        }
        int iterations = 0;
        int restarts = -1;
        boolean still = false;
        String stopped = null;
        while (!still && restarts < MAX_RESTARTS) {
            restarts++;
            SimplexOptimizer optimizer =
                    new SimplexOptimizer(new SimpleValueChecker(VALUE_TOLERANCE_RELATIVE, VALUE_TOLERANCE_ABSOLUTE));
            PointValuePair optimum;
            try {
                optimum = optimizer.optimize(
                        new MaxEval(EVALUATIONS_PER_RUN),
                        new ObjectiveFunction(p -> -evaluate(p)),
                        GoalType.MINIMIZE,
                        new InitialGuess(point),
                        // a wide first simplex to find the basin, small ones after to check the optimum holds
                        new NelderMeadSimplex(dimension, restarts == 0 ? 0.5 : 0.05));
            } catch (MathRuntimeException e) {
                iterations += optimizer.getIterations();
                stopped = "Nelder–Mead used its " + EVALUATIONS_PER_RUN + " evaluations without its simplex collapsing";
                break;
            }
            iterations += optimizer.getIterations();
            double[] next = optimum.getPoint();
            double value = -optimum.getValue();
            double step = 0;
            for (int i = 0; i < dimension; i++) {
                step = Math.max(step, Math.abs(next[i] - point[i]));
            }
            still = restarts > 0 && (step < STILL_STEP || value - best < STILL_GAIN * Math.max(1, Math.abs(best)));
            if (value >= best) {
                point = next;
                best = value;
            }
        }
        if (stopped == null && !still) {
            stopped = "the optimum still moved after " + MAX_RESTARTS + " restarts (a parameter may be running off "
                    + "towards 0 or infinity)";
        }

        // Newton steps from there, with the Hessian of -ll (the observed information)
        RealMatrix information = null;
        double decrement = Double.NaN;
        for (int step = 0; step <= NEWTON_STEPS; step++) {
            double[][] hessian = negativeHessian(point, best);
            double[] gradient = gradient(point);
            if (!allFinite(hessian, gradient)) {
                information = null; // the likelihood ends right beside the optimum: no curvature to speak of
                break;
            }
            information = MatrixUtils.createRealMatrix(hessian);
            double[] direction;
            try {
                direction = new CholeskyDecomposition(information)
                        .getSolver()
                        .solve(MatrixUtils.createRealVector(gradient))
                        .toArray();
            } catch (MathRuntimeException e) {
                information = null;
                break;
            }
            decrement = 0;
            for (int i = 0; i < dimension; i++) {
                decrement += gradient[i] * direction[i] / 2;
            }
            if (decrement < NEWTON_DECREMENT || step == NEWTON_STEPS) {
                break;
            }
            double[] next = point.clone();
            for (int i = 0; i < dimension; i++) {
                next[i] += direction[i];
            }
            double value = evaluate(next);
            if (!(value > best)) {
                break; // the quadratic model no longer helps; the decrement says how far off the optimum may be
            }
            point = next;
            best = value;
        }

        Map<String, Double> standardErrors = new LinkedHashMap<>();
        RealMatrix covariance = null;
        if (information != null) {
            try {
                covariance = new CholeskyDecomposition(information).getSolver().getInverse();
            } catch (MathRuntimeException e) {
                covariance = null;
            }
        }
        for (int i = 0; i < dimension; i++) {
            // delta method: at a stationary point the information for θ = exp(φ) is D⁻¹ I_φ D⁻¹, D = diag(θ)
            standardErrors.put(
                    names[i],
                    covariance == null ? Double.NaN : Math.exp(point[i]) * Math.sqrt(covariance.getEntry(i, i)));
        }

        boolean converged = stopped == null && covariance != null && decrement < NEWTON_DECREMENT;
        String convergence;
        if (converged) {
            convergence = String.format(
                    "converged: Nelder–Mead restarted %d time(s) until its optimum stopped moving "
                            + "(less than %.0e in every log-parameter or a relative gain below %.0e); Hessian positive definite; a "
                            + "Newton step would gain %.1e",
                    restarts, STILL_STEP, STILL_GAIN, decrement);
        } else if (stopped != null) {
            convergence = "not converged: " + stopped;
        } else if (covariance == null) {
            convergence =
                    "not converged: the Hessian of the log-likelihood is not negative definite at the optimum found "
                            + "(a flat direction or a saddle)";
        } else {
            convergence =
                    String.format("not converged: a Newton step would still gain %.2g in log-likelihood", decrement);
        }
        return new Result(point, best, standardErrors, iterations, evaluations, restarts, converged, convergence);
    }

    private double[] gradient(double[] point) {
        double[] gradient = new double[point.length];
        for (int i = 0; i < point.length; i++) {
            gradient[i] = (evaluate(shifted(point, i, GRADIENT_STEP, -1, 0))
                            - evaluate(shifted(point, i, -GRADIENT_STEP, -1, 0)))
                    / (2 * GRADIENT_STEP);
        }
        return gradient;
    }

    /** Central differences of -ll, exactly symmetric. */
    private double[][] negativeHessian(double[] point, double atPoint) {
        int n = point.length;
        double h = HESSIAN_STEP;
        double[][] hessian = new double[n][n];
        for (int i = 0; i < n; i++) {
            double plus = evaluate(shifted(point, i, h, -1, 0));
            double minus = evaluate(shifted(point, i, -h, -1, 0));
            hessian[i][i] = -(plus - 2 * atPoint + minus) / (h * h);
            for (int j = 0; j < i; j++) {
                double value = -(evaluate(shifted(point, i, h, j, h))
                                - evaluate(shifted(point, i, h, j, -h))
                                - evaluate(shifted(point, i, -h, j, h))
                                + evaluate(shifted(point, i, -h, j, -h)))
                        / (4 * h * h);
                hessian[i][j] = value;
                hessian[j][i] = value;
            }
        }
        return hessian;
    }

    private static boolean allFinite(double[][] matrix, double[] vector) {
        for (int i = 0; i < vector.length; i++) {
            if (!Double.isFinite(vector[i])) {
                return false;
            }
            for (double entry : matrix[i]) {
                if (!Double.isFinite(entry)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static double[] shifted(double[] point, int i, double by, int j, double andBy) {
        double[] shifted = point.clone();
        shifted[i] += by;
        if (j >= 0) {
            shifted[j] += andBy;
        }
        return shifted;
    }
}
