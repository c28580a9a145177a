package io.loyalflow.messaging;

import io.loyalflow.customer.Channel;
import java.util.Optional;
import org.camunda.bpm.engine.IdentityService;
import org.camunda.bpm.engine.identity.User;
import org.springframework.stereotype.Service;

/**
 * Where a user's own test sends may go: the verified e-mail address and phone number an administrator
 * gave them. The e-mail is the one of their Camunda profile, which only administrators may change
 * (Camunda Admin; see {@code platform.engine.AdministeredEmailPlugin}). Camunda profiles have no phone,
 * so the phone is a user info entry of the identity service under {@value #PHONE_INFO_KEY}, which no
 * REST API of the engine exposes: administrators set it through {@code PUT /api/users/{userId}/phone}.
 */
@Service
public class TestRecipients {

    /** The identity service's user info key ({@link IdentityService#setUserInfo}) of a user's verified phone. */
    public static final String PHONE_INFO_KEY = "loyalflow.test-send-phone";

    private final IdentityService identity;

    TestRecipients(IdentityService identity) {
        this.identity = identity;
    }

    public boolean userExists(String userId) {
        return userId != null && identity.createUserQuery().userId(userId).count() > 0;
    }

    /** The user's verified address on the channel, in the form sends compare ({@link Addresses}). */
    public Optional<String> verified(String userId, Channel channel) {
        if (userId == null) {
            return Optional.empty();
        }
        String address;
        if (channel == Channel.EMAIL) {
            User user = identity.createUserQuery().userId(userId).singleResult();
            address = user == null ? null : user.getEmail();
        } else {
            address = identity.getUserInfo(userId, PHONE_INFO_KEY);
        }
        return Optional.ofNullable(address).filter(a -> !a.isBlank()).map(a -> Addresses.normalise(channel, a));
    }

    /** Why {@code address} (normalised) is not the user's own verified address; empty when it is. */
    public Optional<String> refusal(String userId, Channel channel, String address) {
        Optional<String> own = verified(userId, channel);
        if (own.isPresent() && own.get().equals(address)) {
            return Optional.empty();
        }
        String what = channel == Channel.EMAIL ? "e-mail address" : "phone number";
        String where = channel == Channel.EMAIL
                ? "the e-mail of their Camunda profile, set by an administrator in " + "Camunda Admin"
                : "set by an administrator with PUT /api/users/{userId}/phone";
        return Optional.of(
                own.isPresent()
                        ? "analysts test-send only to their own verified " + what + " (" + where + "): " + own.get()
                        : "you have no verified " + what + " to test-send to: an administrator sets it (" + where
                                + ")");
    }

    void setPhone(String userId, String e164) {
        identity.setUserInfo(userId, PHONE_INFO_KEY, e164);
    }

    void deletePhone(String userId) {
        identity.deleteUserInfo(userId, PHONE_INFO_KEY);
    }
}
