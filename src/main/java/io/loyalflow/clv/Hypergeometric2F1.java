package io.loyalflow.clv;

/**
 * The Gauss hypergeometric function ₂F₁(a, b; c; z) = Σₙ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ for real a, b, c and
 * real z &lt; 1, which the BG/NBD conditional expectation needs and neither Commons Math nor Hipparchus has.
 *
 * <p>How it is computed:
 * <ul>
 *   <li>0 ≤ z &lt; 1: the series itself, or its Euler transform (1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z),
 *     whichever should converge faster (Euler when c−a−b &lt; 0, where the plain series has its largest
 *     and slowest terms: BG/NBD with many purchases has c−a−b ≈ −x), falling back to the other when the
 *     first fails its accuracy check;</li>
 *   <li>z &lt; 0: Pfaff's transformation (1−z)^(−a) ₂F₁(a, c−b; c; z/(z−1)) first, which moves the
 *     argument into [0, 1) and turns an alternating series into one of constant sign.</li>
 * </ul>
 * Terms are summed with Neumaier's compensated summation and rescaled by powers of two whenever they
 * grow past 2^600, so the value is carried as a logarithm plus a sign: it may be far beyond the range of
 * a double ({@link #log2F1} stays finite where {@link #value} overflows). The series stops once a
 * rigorous bound on the rest of the tail is below 10⁻¹⁷ of the sum.
 *
 * <p>Accuracy: every evaluation estimates its own relative error from the rounding in the term
 * recurrence (which grows like the square root of the term index), times the cancellation factor
 * Σ|termₙ| / |Σ termₙ|. It refuses, with an {@link IllegalArgumentException}, rather than return a value
 * whose estimate exceeds {@value #MAX_RELATIVE_ERROR} (strong cancellation, for instance large a and b
 * of opposite signs), or which would take more than {@value #MAX_TERMS} terms (z within about 4·10⁻⁶
 * of 1). Against 50-digit references the relative error is about 10⁻¹³ or better over the tested range
 * (Hypergeometric2F1Test), including a, b in the thousands and z = 0.9999. Parameters are taken as the
 * doubles given: in the Euler form, c−a and c−b are rounded once, which matters only when they are tiny
 * differences of huge numbers.
 *
 * <p>Outside the domain (z ≥ 1, c zero or a negative integer, parameters beyond ±10⁸, NaN or infinite
 * arguments) it throws {@link IllegalArgumentException}.
 */
final class Hypergeometric2F1 {

    static final int MAX_TERMS = 10_000_000;
    static final double MAX_RELATIVE_ERROR = 1e-10;
    static final double MAX_PARAMETER = 1e8;

    private static final double UNIT_ROUNDOFF = 0x1.0p-53;
    private static final double TAIL_TOLERANCE = 1e-17;
    private static final int RESCALE_EXPONENT = 600;
    private static final double RESCALE_ABOVE = 0x1.0p600;
    private static final double LN_RESCALE = RESCALE_EXPONENT * Math.log(2);

    /** Which series was summed. */
    public enum Form {
        /** ₂F₁(a, b; c; z) term by term */
        DIRECT,
        /** (1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z) */
        EULER,
        /** (1−z)^(−a) ₂F₁(a, c−b; c; z/(z−1)), for z &lt; 0 */
        PFAFF,
        /** Pfaff then Euler: (1−z)^(−b) ₂F₁(c−a, b; c; z/(z−1)), for z &lt; 0 */
        PFAFF_EULER
    }

    /**
     * One evaluation: F = sign · exp(logAbs).
     *
     * @param relativeError the evaluation's own estimate of its relative error (of F, so the absolute
     *     error of logAbs)
     * @param terms number of series terms summed
     */
    public record Evaluation(double logAbs, int sign, Form form, int terms, double relativeError) {

        /** F itself; ±infinity where it is beyond the range of a double. */
        public double value() {
            return sign == 0 ? 0 : sign * Math.exp(logAbs);
        }
    }

    private Hypergeometric2F1() {}

    /** ₂F₁(a, b; c; z); overflows to ±infinity for large values, where {@link #log2F1} does not. */
    public static double value(double a, double b, double c, double z) {
        return evaluate(a, b, c, z).value();
    }

    /**
     * ln ₂F₁(a, b; c; z), for arguments where the function is positive (all of them when a, b, c &gt; 0
     * and 0 ≤ z &lt; 1).
     *
     * @throws IllegalArgumentException outside the domain, or where ₂F₁ is zero or negative
     */
    public static double log2F1(double a, double b, double c, double z) {
        Evaluation evaluation = evaluate(a, b, c, z);
        if (evaluation.sign() <= 0) {
            throw new IllegalArgumentException(String.format(
                    "2F1(%s, %s; %s; %s) is %s, it has no logarithm",
                    a, b, c, z, evaluation.sign() == 0 ? "0" : "negative"));
        }
        return evaluation.logAbs();
    }

    /** ₂F₁(a, b; c; z) as logarithm and sign, with how it was computed. */
    public static Evaluation evaluate(double a, double b, double c, double z) {
        return evaluate(a, b, c, z, Math.log1p(-z));
    }

    /**
     * As {@link #evaluate(double, double, double, double)}, with ln(1−z) supplied by a caller who knows it
     * more accurately than from the rounded z (for z = t/(s+t), as −ln(1 + t/s)): with large c−a−b the
     * factor (1−z)^(c−a−b) amplifies the rounding of 1−z.
     */
    public static Evaluation evaluate(double a, double b, double c, double z, double logOneMinusZ) {
        checkDomain(a, b, c, z);
        if (z == 0 || a == 0 || b == 0) {
            return new Evaluation(0, 1, Form.DIRECT, 1, 0);
        }
        if (z > 0) {
            return unitInterval(a, b, c, z, logOneMinusZ, Form.DIRECT, Form.EULER, 0, a, b, z);
        }
        // Pfaff: w = z/(z−1) in (0, 1), 1−w = 1/(1−z); the Euler form of the result is the other Pfaff
        // transformation, (1−z)^(−b) ₂F₁(c−a, b; c; w)
        double w = z / (z - 1);
        return unitInterval(a, c - b, c, w, -logOneMinusZ, Form.PFAFF, Form.PFAFF_EULER, -a * logOneMinusZ, a, b, z);
    }

    private static void checkDomain(double a, double b, double c, double z) {
        if (!Double.isFinite(a) || !Double.isFinite(b) || !Double.isFinite(c) || !Double.isFinite(z)) {
            throw new IllegalArgumentException(
                    String.format("2F1(%s, %s; %s; %s): arguments must be finite", a, b, c, z));
        }
        if (z >= 1) {
            throw new IllegalArgumentException(String.format(
                    "2F1(%s, %s; %s; %s): only z < 1 is supported (the series diverges beyond 1)", a, b, c, z));
        }
        if (c <= 0 && c == Math.rint(c)) {
            throw new IllegalArgumentException(String.format(
                    "2F1(%s, %s; %s; %s) is undefined: c must not be 0 or a negative integer", a, b, c, z));
        }
        if (Math.abs(a) > MAX_PARAMETER || Math.abs(b) > MAX_PARAMETER || Math.abs(c) > MAX_PARAMETER) {
            throw new IllegalArgumentException(
                    String.format("2F1(%s, %s; %s; %s): parameters beyond ±1e8 are not supported", a, b, c, z));
        }
    }

    /**
     * F(a, b; c; z) · exp(logPrefactor) for 0 &lt; z &lt; 1, as the plain series or its Euler transform.
     * The original arguments only serve the error message.
     */
    private static Evaluation unitInterval(
            double a,
            double b,
            double c,
            double z,
            double logOneMinusZ,
            Form direct,
            Form euler,
            double logPrefactor,
            double originalA,
            double originalB,
            double originalZ) {
        boolean directTerminates = isNonPositiveInteger(a) || isNonPositiveInteger(b);
        boolean eulerTerminates = isNonPositiveInteger(c - a) || isNonPositiveInteger(c - b);
        boolean eulerFirst = !directTerminates && (eulerTerminates || c - a - b < 0);
        String failures = null;
        for (int attempt = 0; attempt < 2; attempt++) {
            boolean useEuler = eulerFirst == (attempt == 0);
            Series series = useEuler ? Series.sum(c - a, c - b, c, z) : Series.sum(a, b, c, z);
            if (series.failure == null) {
                double logAbs = logPrefactor + (useEuler ? (c - a - b) * logOneMinusZ : 0) + series.logAbs;
                return new Evaluation(
                        logAbs, series.sign, useEuler ? euler : direct, series.terms, series.relativeError);
            }
            String failure = (useEuler ? "Euler form: " : "plain series: ") + series.failure;
            failures = failures == null ? failure : failures + "; " + failure;
        }
        throw new IllegalArgumentException(String.format(
                "2F1(%s, %s; %s; %s) cannot be computed to a relative error " + "of %s here (%s)",
                originalA, originalB, c, originalZ, MAX_RELATIVE_ERROR, failures));
    }

    private static boolean isNonPositiveInteger(double value) {
        return value <= 0 && value == Math.rint(value);
    }

    /** Σ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ for 0 &lt; z &lt; 1, as log|sum| and sign, or why it failed. */
    private static final class Series {

        double logAbs;
        int sign;
        int terms;
        double relativeError;
        String failure;

        static Series sum(double a, double b, double c, double z) {
            Series result = new Series();
            // the first term (1) is kept apart from the rest so that a sum close to 1 keeps its digits in
            // log1p; all of these carry the same power-of-two scale, exp(logScale)
            double first = 1;
            double term = 1;
            double rest = 0;
            double compensation = 0;
            double absoluteSum = 1;
            double roundingWeight = Math.sqrt(2);
            double logScale = 0;
            // past this index every factor of the term ratio is positive, so the tail bound below holds
            double signsSettle = Math.max(0, Math.max(-a, Math.max(-b, -c)));
            boolean done = false;
            int n = 0;
            while (n < MAX_TERMS) {
                double numerator = (a + n) * (b + n);
                if (numerator == 0) {
                    done = true; // a polynomial: the remaining terms are all 0
                    break;
                }
                term *= (a + n) / (c + n) * ((b + n) / (n + 1)) * z;
                n++;
                double next = rest + term;
                compensation += Math.abs(rest) >= Math.abs(term) ? (rest - next) + term : (term - next) + rest;
                rest = next;
                absoluteSum += Math.abs(term);
                // each step rounds about 8 times; the errors of a term's factors accumulate like a random walk
                roundingWeight += Math.abs(term) * Math.sqrt(8.0 * n + 2);
                if (Math.abs(term) > RESCALE_ABOVE || Math.abs(rest) > RESCALE_ABOVE) {
                    first = Math.scalb(first, -RESCALE_EXPONENT);
                    term = Math.scalb(term, -RESCALE_EXPONENT);
                    rest = Math.scalb(rest, -RESCALE_EXPONENT);
                    compensation = Math.scalb(compensation, -RESCALE_EXPONENT);
                    absoluteSum = Math.scalb(absoluteSum, -RESCALE_EXPONENT);
                    roundingWeight = Math.scalb(roundingWeight, -RESCALE_EXPONENT);
                    logScale += LN_RESCALE;
                }
                if (n > signsSettle) {
                    // from index n on, (a+m)/(c+m) and (b+m)/(m+1) move monotonically towards 1, so each is at
                    // most max(1, its value at m = n): the ratio of successive terms stays below rho
                    double rho = z
                            * Math.min(
                                    Math.max(1, (a + n) / (c + n)) * Math.max(1, (b + n) / (n + 1.0)),
                                    Math.max(1, (b + n) / (c + n)) * Math.max(1, (a + n) / (n + 1.0)));
                    if (rho < 1
                            && Math.abs(term) * rho / (1 - rho)
                                    <= TAIL_TOLERANCE * Math.abs(first + rest + compensation)) {
                        done = true;
                        break;
                    }
                }
            }
            result.terms = n + 1;
            if (!done) {
                result.failure = "no convergence in " + MAX_TERMS + " terms, z is too close to 1";
                return result;
            }
            double restTotal = rest + compensation;
            double total = first + restTotal;
            if (total == 0) {
                result.failure = "the terms cancel to 0";
                return result;
            }
            result.sign = total > 0 ? 1 : -1;
            result.logAbs = logScale == 0 && Math.abs(restTotal) < 0.5
                    ? Math.log1p(restTotal)
                    : logScale + Math.log(Math.abs(total));
            result.relativeError =
                    UNIT_ROUNDOFF * (roundingWeight + 2 * absoluteSum) / Math.abs(total) + TAIL_TOLERANCE;
            if (!(result.relativeError <= MAX_RELATIVE_ERROR)) {
                result.failure = String.format(
                        "cancellation: the terms sum to %.3g of their absolute sum, estimated " + "relative error %.2g",
                        Math.abs(total) / absoluteSum, result.relativeError);
            }
            return result;
        }
    }
}
