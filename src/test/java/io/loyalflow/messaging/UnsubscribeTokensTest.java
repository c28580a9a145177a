package io.loyalflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.loyalflow.customer.Channel;
import io.loyalflow.messaging.UnsubscribeTokens.Subject;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class UnsubscribeTokensTest {

    private static final String SECRET = "test-secret-0123456789-abcdefghijklmnop";
    private static final String BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    private final UnsubscribeTokens tokens = new UnsubscribeTokens(SECRET);

    @ParameterizedTest
    @EnumSource(Channel.class)
    void roundTripsEachChannel(Channel channel) {
        for (long key : new long[] {1L, 42L, 9_007_199_254_740_993L, Long.MAX_VALUE, 0L}) {
            String token = tokens.issue(key, channel);

            assertThat(token).matches("[A-Za-z0-9_-]+");
            assertThat(tokens.verify(token)).contains(new Subject(key, channel));
        }
    }

    @Test
    void issuesDistinctTokensPerCustomerAndChannel() {
        assertThat(tokens.issue(42L, Channel.EMAIL))
                .isEqualTo(tokens.issue(42L, Channel.EMAIL))
                .isNotEqualTo(tokens.issue(42L, Channel.SMS))
                .isNotEqualTo(tokens.issue(43L, Channel.EMAIL));
    }

    @ParameterizedTest
    @EnumSource(Channel.class)
    void noSingleCharacterChangeVerifiesAsAnotherSubject(Channel channel) {
        String token = tokens.issue(42L, channel);
        Subject original = new Subject(42L, channel);

        int checked = 0;
        for (int position = 0; position < token.length(); position++) {
            for (char replacement : BASE64URL.toCharArray()) {
                if (replacement == token.charAt(position)) {
                    continue;
                }
                String tampered = token.substring(0, position) + replacement + token.substring(position + 1);
                Optional<Subject> subject = tokens.verify(tampered);

                // Any change lands either on the MAC or on the bytes it covers: nothing verifies at all.
                assertThat(subject)
                        .as("token changed at %d to %s", position, replacement)
                        .isEmpty();
                checked++;
            }
        }
        assertThat(checked).isEqualTo(token.length() * (BASE64URL.length() - 1));
        assertThat(tokens.verify(token)).contains(original);
    }

    @Test
    void refusesATokenWithAForgedSubjectAndTheOriginalMac() {
        byte[] bytes = Base64.getUrlDecoder().decode(tokens.issue(42L, Channel.EMAIL));
        bytes[8] ^= 0x01; // customer key 42 -> 43
        String forgedKey = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        bytes[8] ^= 0x01;
        bytes[9] = 'S'; // channel EMAIL -> SMS
        String forgedChannel = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);

        assertThat(tokens.verify(forgedKey)).isEmpty();
        assertThat(tokens.verify(forgedChannel)).isEmpty();
    }

    @Test
    void refusesAnUnknownVersion() {
        byte[] bytes = Base64.getUrlDecoder().decode(tokens.issue(42L, Channel.EMAIL));
        bytes[0] = 2;

        assertThat(tokens.verify(Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)))
                .isEmpty();
    }

    @Test
    void refusesATokenFromAnotherSecret() {
        UnsubscribeTokens other = new UnsubscribeTokens("another-secret-0123456789-abcdefghijk");

        assertThat(tokens.verify(other.issue(42L, Channel.EMAIL))).isEmpty();
        assertThat(other.verify(tokens.issue(42L, Channel.EMAIL))).isEmpty();
    }

    @Test
    void refusesMalformedTokens() {
        String token = tokens.issue(42L, Channel.SMS);

        assertThat(tokens.verify(null)).isEmpty();
        assertThat(tokens.verify("")).isEmpty();
        assertThat(tokens.verify("not base64 !!")).isEmpty();
        assertThat(tokens.verify("!".repeat(token.length()))).isEmpty();
        assertThat(tokens.verify(token.substring(0, token.length() - 1))).isEmpty();
        assertThat(tokens.verify(token.substring(0, token.length() - 4))).isEmpty();
        assertThat(tokens.verify(token + "A")).isEmpty();
        assertThat(tokens.verify(token + "==")).isEmpty();
        assertThat(tokens.verify(" " + token)).isEmpty();
        // The same bytes in standard base64 are not a link we issued.
        String standard = Base64.getEncoder()
                .withoutPadding()
                .encodeToString(Base64.getUrlDecoder().decode(token));
        if (!standard.equals(token)) {
            assertThat(tokens.verify(standard)).isEmpty();
        }
    }

    @Test
    void refusesAShortSecretNamingTheProperty() {
        assertThatThrownBy(() -> new UnsubscribeTokens(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loyalflow.messaging.unsubscribe-secret");
        assertThatThrownBy(() -> new UnsubscribeTokens("x".repeat(31)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loyalflow.messaging.unsubscribe-secret");
        assertThat(new UnsubscribeTokens("x".repeat(32)).issue(1L, Channel.EMAIL))
                .isNotBlank();
    }
}
