package io.loyalflow.platform.engine;

/** Thrown at start when a production set-up has no administrator credentials configured. */
public class MissingAdminCredentialsException extends RuntimeException {

    public MissingAdminCredentialsException(String reason) {
        super(reason);
    }
}
