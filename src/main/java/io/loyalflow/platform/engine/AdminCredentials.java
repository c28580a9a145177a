package io.loyalflow.platform.engine;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The first administrator, from {@code LOYALFLOW_ADMIN_USER} / {@code LOYALFLOW_ADMIN_PASSWORD}.
 * {@code required} is switched on by the {@code postgres} profile: a shared database never gets a
 * generated password (see {@link AdminCredentialsCheck}).
 */
@ConfigurationProperties("loyalflow.admin")
record AdminCredentials(String user, String password, boolean required) {

    static final String DEFAULT_USER = "admin";

    public AdminCredentials {
        user = user == null || user.isBlank() ? null : user.trim();
        password = password == null || password.isEmpty() ? null : password;
    }

    String userOrDefault() {
        return user == null ? DEFAULT_USER : user;
    }
}
