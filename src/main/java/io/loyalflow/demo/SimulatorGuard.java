package io.loyalflow.demo;

import java.util.Arrays;
import java.util.Set;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Whether the engagement simulator may run: only with the demo on, unless switched off, and never under a
 * production profile ({@code postgres}, {@code prod}, {@code production}), whatever else is set. It posts
 * invented engagement and orders: a production database must never get them.
 */
final class SimulatorGuard implements Condition {

    static final Set<String> PRODUCTION_PROFILES = Set.of("postgres", "prod", "production");

    static boolean allowed(Environment environment) {
        return environment.getProperty("loyalflow.demo.cdnow", Boolean.class, false)
                && environment.getProperty("loyalflow.demo.simulator.enabled", Boolean.class, true)
                && !production(environment);
    }

    static boolean production(Environment environment) {
        return Arrays.stream(environment.getActiveProfiles()).anyMatch(PRODUCTION_PROFILES::contains);
    }

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return allowed(context.getEnvironment());
    }
}
