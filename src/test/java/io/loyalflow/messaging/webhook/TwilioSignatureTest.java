package io.loyalflow.messaging.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioSignatureTest {

    // The Twilio SDK's own RequestValidator test vector (see /work/shared/reference/providers.md).
    private static final String TOKEN = "12345";
    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private static final String SIGNATURE = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

    private final TwilioSignature verifier = new TwilioSignature(TOKEN);

    private static Map<String, String> params() {
        Map<String, String> params = new HashMap<>();
        params.put("Digits", "1234");
        params.put("CallSid", "CA1234567890ABCDE");
        params.put("To", "+18005551212");
        params.put("Caller", "+14158675309");
        params.put("From", "+14158675309");
        return params;
    }

    @Test
    void acceptsTwiliosOfficialVector() {
        assertThat(verifier.verify(URL, params(), SIGNATURE)).isTrue();
    }

    @Test
    void refusesAChangedParameterValue() {
        Map<String, String> params = params();
        params.put("Digits", "1235");

        assertThat(verifier.verify(URL, params, SIGNATURE)).isFalse();
    }

    @Test
    void refusesAnExtraParameter() {
        Map<String, String> params = params();
        params.put("MessageStatus", "delivered");

        assertThat(verifier.verify(URL, params, SIGNATURE)).isFalse();
    }

    @Test
    void refusesAMissingParameter() {
        Map<String, String> params = params();
        params.remove("Caller");

        assertThat(verifier.verify(URL, params, SIGNATURE)).isFalse();
    }

    @Test
    void refusesADifferentUrl() {
        assertThat(verifier.verify("https://mycompany.com/myapp.php?foo=1&bar=3", params(), SIGNATURE))
                .isFalse();
        assertThat(verifier.verify("https://mycompany.com/myapp.php", params(), SIGNATURE))
                .isFalse();
        assertThat(verifier.verify("https://evil.example/myapp.php?foo=1&bar=2", params(), SIGNATURE))
                .isFalse();
    }

    @Test
    void refusesADifferentToken() {
        assertThat(new TwilioSignature("54321").verify(URL, params(), SIGNATURE))
                .isFalse();
    }

    @Test
    void refusesBlankOrMissingSignatures() {
        assertThat(verifier.verify(URL, params(), null)).isFalse();
        assertThat(verifier.verify(URL, params(), "")).isFalse();
        assertThat(verifier.verify(URL, params(), "  ")).isFalse();
        assertThat(verifier.verify(URL, params(), "RSOYDt4T1cUTdK1PDd93/VVr8B8"))
                .isFalse();
    }

    @Test
    void refusesAMissingUrlWithoutThrowing() {
        assertThat(verifier.verify(null, params(), SIGNATURE)).isFalse();
        assertThat(verifier.verify("", params(), SIGNATURE)).isFalse();
    }

    @Test
    void refusesABlankTokenNamingTheProperty() {
        assertThatThrownBy(() -> new TwilioSignature(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loyalflow.messaging.twilio.auth-token");
    }
}
