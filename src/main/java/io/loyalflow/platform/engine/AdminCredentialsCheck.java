package io.loyalflow.platform.engine;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Refuses to start, before any database is touched, when a shared database would get a generated
 * administrator password (the {@code postgres} profile, or any database other than the embedded
 * H2), or when the configured password is too short.
 */
class AdminCredentialsCheck implements EnvironmentPostProcessor, Ordered {

    static final int MIN_PASSWORD_LENGTH = 12;
    /** Camunda's resource whitelist as configured in application.yml. */
    static final String USER_ID = "[a-zA-Z0-9][a-zA-Z0-9._@-]*";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String user = environment.getProperty("loyalflow.admin.user", "");
        String password = environment.getProperty("loyalflow.admin.password", "");
        boolean required = environment.getProperty("loyalflow.admin.required", Boolean.class, false)
                || !environment.getProperty("spring.datasource.url", "jdbc:h2:").startsWith("jdbc:h2:");
        if (required && (user.isBlank() || password.isEmpty())) {
            throw new MissingAdminCredentialsException(
                    "Loyalflow refuses to start on a shared database without administrator credentials: "
                            + "LOYALFLOW_ADMIN_USER and LOYALFLOW_ADMIN_PASSWORD are not both set.");
        }
        if (!user.isBlank() && !user.trim().matches(USER_ID)) {
            throw new MissingAdminCredentialsException("LOYALFLOW_ADMIN_USER '" + user
                    + "' is not a valid user id: letters, digits and . _ @ -, starting with a letter or digit.");
        }
        if (!password.isEmpty() && password.length() < MIN_PASSWORD_LENGTH) {
            throw new MissingAdminCredentialsException(
                    "LOYALFLOW_ADMIN_PASSWORD is shorter than " + MIN_PASSWORD_LENGTH + " characters.");
        }
    }

    /** After the configuration files and profiles are read. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
