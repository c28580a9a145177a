package io.loyalflow.experiment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The winner rule under repeated checks, by simulation with a fixed seed (docs/analyst-guide.md, "Experiments"):
 * two arms with equal weights, the rule checked after every {@value #CHECK_EVERY} assignments up to a horizon of
 * {@value #HORIZON} assignments (about 5,000 per arm), as an hourly review peeks at a growing experiment.
 * A/A tests (both arms convert at the same rate) must rarely declare a winner; a planted 20 % relative uplift
 * must be found.
 */
class WinnerRuleSimulationTest {

    static final int CHECK_EVERY = 100;
    static final int HORIZON = 10_000;
    static final int MIN_SAMPLE = 500;
    static final double THRESHOLD = 0.95;

    /** What the simulated experiments ended with. */
    record Outcome(int experiments, int declaredA, int declaredB, double medianPerArmAtDecision) {
        double declaredRate() {
            return (double) (declaredA + declaredB) / experiments;
        }
    }

    /** Simulates experiments whose arms convert at rates a and b; the rule is checked as the review would. */
    static Outcome simulate(long seed, int experiments, double a, double b, int checkEvery, int horizon) {
        SplittableRandom random = new SplittableRandom(seed);
        int declaredA = 0;
        int declaredB = 0;
        long[] perArmAtDecision = new long[experiments];
        int decisions = 0;
        for (int e = 0; e < experiments; e++) {
            long[] n = new long[2];
            long[] s = new long[2];
            int looks = 0;
            for (int assigned = 1; assigned <= horizon; assigned++) {
                int arm = random.nextBoolean() ? 0 : 1;
                n[arm]++;
                if (random.nextDouble() < (arm == 0 ? a : b)) {
                    s[arm]++;
                }
                if (assigned % checkEvery == 0) {
                    WinnerRule.Look look = WinnerRule.look(n, s, MIN_SAMPLE, THRESHOLD, looks);
                    looks = look.looksDone();
                    int winner = look.winner();
                    if (winner >= 0) {
                        declaredA += winner == 0 ? 1 : 0;
                        declaredB += winner == 1 ? 1 : 0;
                        perArmAtDecision[decisions++] = Math.min(n[0], n[1]);
                        break;
                    }
                }
            }
        }
        long[] sample = Arrays.copyOf(perArmAtDecision, decisions);
        Arrays.sort(sample);
        double median = decisions == 0 ? Double.NaN : sample[decisions / 2];
        return new Outcome(experiments, declaredA, declaredB, median);
    }

    /** The same A/A experiments under a naive rule: the plain threshold tested at every check. */
    static double naiveFalseWinners(long seed, int experiments, double rate) {
        SplittableRandom random = new SplittableRandom(seed);
        int declared = 0;
        for (int e = 0; e < experiments; e++) {
            long[] n = new long[2];
            long[] s = new long[2];
            for (int assigned = 1; assigned <= HORIZON; assigned++) {
                int arm = random.nextBoolean() ? 0 : 1;
                n[arm]++;
                s[arm] += random.nextDouble() < rate ? 1 : 0;
                if (assigned % CHECK_EVERY == 0 && Math.min(n[0], n[1]) >= MIN_SAMPLE) {
                    double[] best = Posteriors.probabilityToBeBest(n, s);
                    if (best[0] >= THRESHOLD || best[1] >= THRESHOLD) {
                        declared++;
                        break;
                    }
                }
            }
        }
        return (double) declared / experiments;
    }

    @Test
    void aaTestsDeclareAFalseWinnerAtMostAtTheStatedRate() {
        // 2,000 A/A experiments, 5 % conversion in both arms, checked 100 times
        Outcome peeking = simulate(20261207L, 2_000, 0.05, 0.05, CHECK_EVERY, HORIZON);
        double naive = naiveFalseWinners(20261207L, 500, 0.05);
        System.out.printf(
                "A/A, checked every %d: %s (%.1f %% false winners); the plain threshold at every check: %.1f %%%n",
                CHECK_EVERY, peeking, 100 * peeking.declaredRate(), 100 * naive);
        // the union bound: at most 1 − threshold per arm over all looks, 2 × 5 % for two arms
        assertThat(peeking.declaredRate())
                .as("false winners under repeated checks")
                .isLessThanOrEqualTo(0.10);
        assertThat(naive).as("why the rule looks only at milestones").isGreaterThan(0.25);
    }

    @Test
    void aPlantedTwentyPercentUpliftIsFound() {
        // open rate 30 % against 36 % (metric OPEN)
        Outcome open = simulate(11L, 500, 0.30, 0.36, CHECK_EVERY, HORIZON);
        // conversion 5 % against 6 % (metric CONVERSION)
        Outcome conversion = simulate(7L, 500, 0.05, 0.06, CHECK_EVERY, HORIZON);
        System.out.printf("30 %% vs 36 %%: %s; 5 %% vs 6 %%: %s%n", open, conversion);
        assertThat(open.declaredB()).as("the better arm found").isGreaterThanOrEqualTo(495);
        assertThat(open.declaredA()).as("the worse arm declared").isZero();
        assertThat(open.medianPerArmAtDecision()).as("at the minimum sample").isLessThanOrEqualTo(600);
        assertThat(conversion.declaredB()).as("found within 5,000 per arm").isGreaterThanOrEqualTo(150);
        assertThat(conversion.declaredA()).as("the worse arm declared").isLessThanOrEqualTo(5);
    }
}
