package io.loyalflow.messaging;

import io.loyalflow.customer.Channel;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.problem.Violations;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** Administrators verify the phone number a user's own test SMS go to (the e-mail is their Camunda profile's). */
@RestController
@Tag(name = "Messaging")
class TestRecipientController {

    private final TestRecipients recipients;
    private final TestSends testSends;

    TestRecipientController(TestRecipients recipients, TestSends testSends) {
        this.recipients = recipients;
        this.testSends = testSends;
    }

    record PhoneRequest(String phone) {}

    /** @param email the e-mail of the user's Camunda profile; @param phone the verified phone, E.164 */
    record TestAddresses(String userId, String email, String phone) {}

    @Operation(
            summary = "Administrators: the verified e-mail (Camunda profile) and phone a user's test sends may go to")
    @GetMapping("/api/users/{userId}/phone")
    TestAddresses get(@PathVariable String userId) {
        known(userId);
        return addresses(userId);
    }

    @Operation(
            summary = "Administrators: sets the verified phone a user (an analyst) may send test SMS to; 422 for a "
                    + "number that is not valid")
    @PutMapping("/api/users/{userId}/phone")
    TestAddresses put(@PathVariable String userId, @RequestBody PhoneRequest request) {
        known(userId);
        Violations violations = new Violations();
        String phone = testSends.address(Channel.SMS, request == null ? null : request.phone(), "phone", violations);
        violations.throwIfAny();
        recipients.setPhone(userId, phone);
        return addresses(userId);
    }

    @Operation(summary = "Administrators: removes a user's verified phone")
    @DeleteMapping("/api/users/{userId}/phone")
    ResponseEntity<Void> delete(@PathVariable String userId) {
        known(userId);
        recipients.deletePhone(userId);
        return ResponseEntity.noContent().build();
    }

    private TestAddresses addresses(String userId) {
        return new TestAddresses(
                userId,
                recipients.verified(userId, Channel.EMAIL).orElse(null),
                recipients.verified(userId, Channel.SMS).orElse(null));
    }

    private void known(String userId) {
        if (!recipients.userExists(userId)) {
            throw Refusal.notFound("No user " + userId + " in Camunda's identity service.");
        }
    }
}
