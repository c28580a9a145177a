package io.loyalflow.platform.retention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

/** The retention settings as the service binds them at start: defaults, keep-forever, and refusals naming the setting. */
class RetentionSettingsTest {

    @Configuration
    @EnableConfigurationProperties(RetentionProperties.class)
    static class Settings {}

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(Settings.class);

    @Test
    void theDefaultsAreWhatARetailerExpects() {
        context.run(started -> {
            RetentionProperties settings = started.getBean(RetentionProperties.class);
            assertThat(settings.keep(RetentionFamily.DELIVERIES)).contains(Duration.ofDays(400));
            assertThat(settings.keep(RetentionFamily.PROVIDER_EVENTS)).contains(Duration.ofDays(90));
            assertThat(settings.keep(RetentionFamily.ENROLLMENTS)).contains(Duration.ofDays(400));
            assertThat(settings.keep(RetentionFamily.SEGMENT_EVENTS)).contains(Duration.ofDays(400));
            assertThat(settings.keep(RetentionFamily.CUSTOMER_EVENTS)).contains(Duration.ofDays(400));
            assertThat(settings.cycle()).isEqualTo("0 45 3 * * ?");
            assertThat(settings.window()).isEqualTo(Duration.ofHours(2));
            assertThat(settings.batchSize()).isEqualTo(1000);
            assertThat(settings.batchesPerJob()).isEqualTo(20);
        });
    }

    @Test
    void zeroKeepsForeverAndDurationsReadAsInApplicationYml() {
        context.withPropertyValues(
                        "loyalflow.retention.deliveries=0",
                        "loyalflow.retention.segment-events=30d",
                        "loyalflow.retention.cycle=R/PT12H",
                        "loyalflow.retention.window=30m")
                .run(started -> {
                    RetentionProperties settings = started.getBean(RetentionProperties.class);
                    assertThat(settings.keep(RetentionFamily.DELIVERIES)).isEmpty();
                    assertThat(settings.keep(RetentionFamily.SEGMENT_EVENTS)).contains(Duration.ofDays(30));
                    assertThat(settings.cycle()).isEqualTo("R/PT12H");
                    assertThat(settings.window()).isEqualTo(Duration.ofMinutes(30));
                });
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "loyalflow.retention.deliveries=-5d | loyalflow.retention.deliveries",
                "loyalflow.retention.provider-events=12h | loyalflow.retention.provider-events",
                "loyalflow.retention.enrollments=-1d | loyalflow.retention.enrollments",
                "loyalflow.retention.segment-events=PT1S | loyalflow.retention.segment-events",
                "loyalflow.retention.customer-events=-400d | loyalflow.retention.customer-events",
                "loyalflow.retention.batch-size=0 | loyalflow.retention.batch-size",
                "loyalflow.retention.batch-size=100000 | loyalflow.retention.batch-size",
                "loyalflow.retention.batches-per-job=0 | loyalflow.retention.batches-per-job",
                "loyalflow.retention.window=0s | loyalflow.retention.window",
                "loyalflow.retention.window=3d | loyalflow.retention.window",
                "loyalflow.retention.cycle=every night | loyalflow.retention.cycle",
                "loyalflow.retention.cycle=0 99 3 * * ? | loyalflow.retention.cycle"
            })
    void aBadValueRefusesTheStartNamingTheSetting(String setting, String named) {
        context.withPropertyValues(setting).run(started -> {
            assertThat(started).hasFailed();
            StringBuilder messages = new StringBuilder();
            for (Throwable t = started.getStartupFailure(); t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertThat(messages.toString()).contains(named);
        });
    }

    @Test
    void aModulesLowerBoundRefusesAShorterPeriodNamingBothSettings() {
        RetentionProperties settings =
                new RetentionProperties(null, null, null, null, Duration.ofDays(3), null, null, null, null);

        assertThatThrownBy(
                        () -> settings.requireAtLeast(
                                RetentionFamily.DELIVERIES,
                                Duration.ofDays(7),
                                "the frequency caps count the deliveries of their window (loyalflow.messaging.email-cap.window)"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("loyalflow.retention.deliveries is 3d")
                .hasMessageContaining("at least 7d")
                .hasMessageContaining("loyalflow.messaging.email-cap.window");
        // keep forever always passes
        new RetentionProperties(null, null, null, null, Duration.ZERO, null, null, null, null)
                .requireAtLeast(RetentionFamily.DELIVERIES, Duration.ofDays(7), "caps");
    }
}
