package io.loyalflow.clv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.loyalflow.clv.Hypergeometric2F1.Evaluation;
import io.loyalflow.clv.Hypergeometric2F1.Form;
import java.math.BigDecimal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ₂F₁ against closed forms and against 40-digit sums of the plain series (HighPrecision), including
 * the BG/NBD arguments of customers with hundreds and thousands of purchases, where the value is
 * far beyond the range of a double and only its Euler form converges quickly.
 */
class Hypergeometric2F1Test {

    private static final double TOLERANCE = 1e-10;
    private static double largestError;

    /** The relative error of F, that is the absolute error of ln F, recorded for the summary line. */
    private static double logError(double actualLog, double expectedLog) {
        double error = Math.abs(actualLog - expectedLog);
        largestError = Math.max(largestError, error);
        return error;
    }

    @AfterAll
    static void summary() {
        System.out.printf("2F1: largest relative error against the references: %.2e%n", largestError);
    }

    @ParameterizedTest(name = "2F1(1, 1; 2; {0}) = -ln(1-z)/z")
    @CsvSource({"0.1", "0.5", "0.9", "0.99", "0.9999", "0.99999", "-0.5", "-5", "-1000"})
    void logarithm(double z) {
        double expected = -Math.log1p(-z) / z;
        assertThat(logError(Hypergeometric2F1.log2F1(1, 1, 2, z), Math.log(expected)))
                .isLessThan(TOLERANCE);
    }

    @ParameterizedTest(name = "2F1(1/2, 1/2; 3/2; {0}^2) = arcsin(s)/s")
    @CsvSource({"0.3", "0.9", "0.999", "0.99999"})
    void arcsine(double s) {
        double expected = Math.asin(s) / s;
        assertThat(logError(Hypergeometric2F1.log2F1(0.5, 0.5, 1.5, s * s), Math.log(expected)))
                .isLessThan(TOLERANCE);
    }

    @ParameterizedTest(name = "2F1(1/2, 1; 3/2; {0}^2) = artanh(s)/s")
    @CsvSource({"0.3", "0.9", "0.999", "0.99999"})
    void inverseHyperbolicTangent(double s) {
        double expected = 0.5 * Math.log((1 + s) / (1 - s)) / s;
        assertThat(logError(Hypergeometric2F1.log2F1(0.5, 1, 1.5, s * s), Math.log(expected)))
                .isLessThan(TOLERANCE);
    }

    @ParameterizedTest(name = "2F1({0}, {1}; {1}; {2}) = (1-z)^-a")
    @CsvSource({"2.5, 3.7, 0.3", "0.25, 7.5, 0.95", "500, 2.5, 0.999", "1500.3, 1200.7, 0.95", "3.5, 0.5, -20"})
    void power(double a, double b, double z) {
        assertThat(logError(Hypergeometric2F1.log2F1(a, b, b, z), -a * Math.log1p(-z)))
                .isLessThan(TOLERANCE);
    }

    @ParameterizedTest(name = "2F1({0}, 1-{0}; 3/2; sin^2 {1}) = sin((2a-1)θ)/((2a-1) sin θ)")
    @CsvSource({"3.3, 0.2", "2.1, 0.7", "0.8, 1.2"})
    void sineWithParametersOfOppositeSign(double a, double theta) {
        double expected = Math.sin((2 * a - 1) * theta) / ((2 * a - 1) * Math.sin(theta));
        double sine = Math.sin(theta);
        double value = Hypergeometric2F1.value(a, 1 - a, 1.5, sine * sine);
        assertThat(Math.abs(value - expected) / Math.abs(expected)).isLessThan(TOLERANCE);
    }

    @Test
    void aPolynomialWhenAIsANegativeInteger() {
        double b = 2.5;
        double c = 4.25;
        double z = 0.97;
        double expected = 1
                - 3 * b * z / c
                + 3 * b * (b + 1) * z * z / (c * (c + 1))
                - b * (b + 1) * (b + 2) * z * z * z / (c * (c + 1) * (c + 2));
        Evaluation evaluation = Hypergeometric2F1.evaluate(-3, b, c, z);
        assertThat(evaluation.form()).isEqualTo(Form.DIRECT);
        assertThat(evaluation.terms()).isLessThanOrEqualTo(4);
        assertThat(Math.abs(evaluation.value() - expected) / Math.abs(expected)).isLessThan(1e-14);
    }

    /** BG/NBD: a = r+x, b = b+x, c = a+b+x−1 with the CDNOW estimates, z = t/(α+T+t). */
    @ParameterizedTest(name = "BG/NBD arguments for x = {0}, z = {1}")
    @CsvSource({
        "0, 0.3",
        "0, 0.9",
        "0, 0.99",
        "1, 0.6",
        "10, 0.6",
        "10, 0.99",
        "300, 0.5",
        "300, 0.9",
        "1000, 0.3",
        "1000, 0.6",
        "1000, 0.9",
        "1000, 0.99",
        "3000, 0.6"
    })
    void bgNbdArgumentsAgainstTheSeriesIn40Digits(int x, double z) {
        double r = 0.243;
        double b = 2.426;
        double a = 0.793;
        double expected = HighPrecision.ln(HighPrecision.hypergeometric(r + x, b + x, a + b + x - 1, z));
        Evaluation evaluation = Hypergeometric2F1.evaluate(r + x, b + x, a + b + x - 1, z);
        assertThat(logError(evaluation.logAbs(), expected)).isLessThan(TOLERANCE);
        assertThat(evaluation.sign()).isEqualTo(1);
        if (x >= 300) {
            // the plain series would need thousands of terms and peak far beyond a double
            assertThat(evaluation.form()).isEqualTo(Form.EULER);
        }
    }

    @ParameterizedTest(name = "2F1({0}, {1}; {2}; {3})")
    @CsvSource({
        "300.5, 200.25, 700.75, 0.95", // large, plain series (c−a−b > 0)
        "1000.5, 1000.25, 2000.75, 0.99", // plain series, terms beyond 1e300 (rescaled)
        "0.5, 0.75, 0.3, 0.995", // c < a+b: Euler form, z near 1
        "2.5, 3.5, 4.25, -0.5", // Pfaff
        "40.5, 3.5, 60.25, -0.9", // Pfaff, large a
        "-4.3, 2.5, 7.75, 0.8", // terms change sign once
        "1.5, 2.5, -2.5, 0.4", // negative c
        "1e-3, 1e-3, 1e-3, 0.999",
        "7.25, 2.5, 3.75, 1e-12"
    })
    void generalArgumentsAgainstTheSeriesIn40Digits(double a, double b, double c, double z) {
        BigDecimal reference = HighPrecision.hypergeometric(a, b, c, z);
        Evaluation evaluation = Hypergeometric2F1.evaluate(a, b, c, z);
        assertThat(evaluation.sign()).isEqualTo(reference.signum());
        assertThat(logError(evaluation.logAbs(), HighPrecision.ln(reference.abs())))
                .isLessThan(TOLERANCE);
        assertThat(evaluation.relativeError()).isLessThan(TOLERANCE);
    }

    @Test
    void aValueBeyondDoubleKeepsItsLogarithm() {
        double log = Hypergeometric2F1.log2F1(1000.243, 1002.426, 1002.219, 0.9);
        assertThat(log).isGreaterThan(2000).isFinite();
        assertThat(Hypergeometric2F1.value(1000.243, 1002.426, 1002.219, 0.9)).isInfinite();
    }

    @Test
    void negativeValuesHaveASignAndNoLogarithm() {
        // 2F1(−1, 2; 1; z) = 1 − 2z
        assertThat(Hypergeometric2F1.value(-1, 2, 1, 0.9)).isCloseTo(-0.8, within(1e-15));
        assertThatThrownBy(() -> Hypergeometric2F1.log2F1(-1, 2, 1, 0.9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative");
    }

    @Test
    void outsideTheDomainItRefuses() {
        assertThatThrownBy(() -> Hypergeometric2F1.value(1, 1, 2, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("z < 1");
        assertThatThrownBy(() -> Hypergeometric2F1.value(1, 1, -2, 0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("negative integer");
        assertThatThrownBy(() -> Hypergeometric2F1.value(Double.NaN, 1, 2, 0.5))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Hypergeometric2F1.value(1e9, 1, 2, 0.5)).isInstanceOf(IllegalArgumentException.class);
        // 10 million terms are not enough this close to 1
        assertThatThrownBy(() -> Hypergeometric2F1.value(1.5, 2.5, 3.75, 1 - 1e-9))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too close to 1");
    }

    @Test
    void strongCancellationIsRefusedRatherThanReturned() {
        // 2F1(a, 1−a; 3/2; sin²θ) with a = 60.3: terms around 1e20 summing to about 1e-2
        double sine = Math.sin(1.3);
        assertThatThrownBy(() -> Hypergeometric2F1.value(60.3, 1 - 60.3, 1.5, sine * sine))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cancellation");
    }
}
