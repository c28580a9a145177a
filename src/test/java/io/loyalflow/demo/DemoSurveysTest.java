package io.loyalflow.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The demo's survey answers are skewed as a liked shop's are: about half promoters, a fifth detractors. */
class DemoSurveysTest {

    @Test
    void scoresAreMostlyPromotersWithARealisticShareOfDetractors() {
        SplittableRandom random = new SplittableRandom(42);
        int[] counts = new int[11];
        int draws = 100_000;
        for (int i = 0; i < draws; i++) {
            counts[DemoSurveys.score(random)]++;
        }
        double promoters = (counts[9] + counts[10]) / (double) draws;
        double passives = (counts[7] + counts[8]) / (double) draws;
        double detractors = 1 - promoters - passives;
        assertThat(promoters).isBetween(0.50, 0.54);
        assertThat(passives).isBetween(0.23, 0.27);
        assertThat(detractors).isBetween(0.21, 0.25);
        assertThat(java.util.Arrays.stream(counts).min().orElseThrow()).isPositive(); // every score occurs
    }
}
