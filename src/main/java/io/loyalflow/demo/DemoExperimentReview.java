package io.loyalflow.demo;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With the demo and its simulator, the experiment review runs every five minutes instead of hourly, so a
 * newcomer sees an A/B winner declared within the demo's first quarter of an hour. A review cycle set by
 * {@code LOYALFLOW_EXPERIMENTS_REVIEW_CYCLE} is kept.
 */
class DemoExperimentReview implements EnvironmentPostProcessor, Ordered {

    static final String REVIEW_CYCLE = "loyalflow.experiments.review-cycle";
    static final String DEMO_REVIEW_CYCLE = "0 */5 * * * ?";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (SimulatorGuard.allowed(environment)
                && environment.getProperty("LOYALFLOW_EXPERIMENTS_REVIEW_CYCLE") == null) {
            environment
                    .getPropertySources()
                    .addFirst(new MapPropertySource(
                            "loyalflowDemoExperimentReview", Map.of(REVIEW_CYCLE, DEMO_REVIEW_CYCLE)));
        }
    }

    @Override
    public int getOrder() {
        // after the configuration files are read, so profiles and the demo flag are known
        return Ordered.LOWEST_PRECEDENCE;
    }
}
