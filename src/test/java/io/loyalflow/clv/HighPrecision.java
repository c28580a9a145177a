package io.loyalflow.clv;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Slow references for the tests: ₂F₁ summed term by term, without any transformation, in 40-digit
 * decimal arithmetic on the exact binary values of the arguments.
 */
final class HighPrecision {

    private static final MathContext DIGITS = new MathContext(40);
    private static final BigDecimal CUTOFF = new BigDecimal("1e-32");

    private HighPrecision() {}

    /** ₂F₁(a, b; c; z) for |z| &lt; 1 by its series. */
    static BigDecimal hypergeometric(double a, double b, double c, double z) {
        BigDecimal bigA = new BigDecimal(a);
        BigDecimal bigB = new BigDecimal(b);
        BigDecimal bigC = new BigDecimal(c);
        BigDecimal bigZ = new BigDecimal(z);
        double largest = Math.max(Math.abs(a), Math.max(Math.abs(b), Math.abs(c)));
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int n = 0; n < 50_000_000; n++) {
            BigDecimal bigN = BigDecimal.valueOf(n);
            BigDecimal numerator =
                    bigA.add(bigN).multiply(bigB.add(bigN), DIGITS).multiply(bigZ, DIGITS);
            if (numerator.signum() == 0) {
                return sum;
            }
            BigDecimal denominator = bigC.add(bigN).multiply(BigDecimal.valueOf(n + 1L), DIGITS);
            term = term.multiply(numerator, DIGITS).divide(denominator, DIGITS);
            sum = sum.add(term, DIGITS);
            // past all parameters the term ratio is close to z: stop when the terms are negligible
            double ratio = Math.abs(numerator.doubleValue() / denominator.doubleValue());
            if (n > 2 * largest + 10
                    && ratio < (1 + Math.abs(z)) / 2
                    && term.abs().compareTo(sum.abs().multiply(CUTOFF, DIGITS)) < 0) {
                return sum;
            }
        }
        throw new IllegalStateException("reference series did not converge");
    }

    /** ln of a positive decimal of any size, to about 1e-13 relative to the exponent's size. */
    static double ln(BigDecimal value) {
        if (value.signum() <= 0) {
            throw new IllegalArgumentException("ln of " + value);
        }
        int exponent = value.precision() - value.scale() - 1;
        double mantissa = value.movePointLeft(exponent).doubleValue();
        return Math.log(mantissa) + exponent * Math.log(10);
    }
}
