package io.loyalflow.audience;

/** Meta flagged the audience (operation_status 471): the sync stops until an administrator resumes it. */
class AudienceFlaggedException extends RuntimeException {

    AudienceFlaggedException(String message) {
        super(message);
    }
}
