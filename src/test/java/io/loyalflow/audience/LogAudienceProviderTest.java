package io.loyalflow.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

@ExtendWith(OutputCaptureExtension.class)
class LogAudienceProviderTest {

    private static final String TEST_AT_EXAMPLE = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b";

    private final LogAudienceProvider provider = new LogAudienceProvider();

    private static List<HashedMember> members() {
        return List.of(
                AudienceHashing.member("test@example.com", "020 7946 0018", "GB")
                        .orElseThrow(),
                AudienceHashing.member(null, "+1 (650) 555-1234", "GB").orElseThrow());
    }

    @Test
    void addLogsAudienceOperationCountSchemaAndOnlyTheStartOfTheFirstHash(CapturedOutput output) {
        UploadResult result = provider.add("123", members());

        assertThat(result).isEqualTo(new UploadResult(2, 0));
        assertThat(output.getOut())
                .contains("Ad audience 123 (log provider): would add 2 members "
                        + "(EMAIL_SHA256, PHONE_SHA256; first e-mail hash 973d…)");
        assertThat(output.getOut())
                .doesNotContain(TEST_AT_EXAMPLE)
                .doesNotContain(members().get(0).phoneSha256())
                .doesNotContain(members().get(1).phoneSha256())
                .doesNotContain("test@example.com")
                .doesNotContain("442079460018")
                .doesNotContain("16505551234");
    }

    @Test
    void removeAndReplaceSayWhatTheyWouldDo(CapturedOutput output) {
        List<HashedMember> phoneOnly = List.of(members().get(1));

        provider.remove("123", phoneOnly);
        provider.replace("123", new ReplaceBatch(42L, 2, true, 5L), members());

        String phoneHashStart = phoneOnly.get(0).phoneSha256().substring(0, 4);
        assertThat(output.getOut())
                .contains("Ad audience 123 (log provider): would remove 1 member (EMAIL_SHA256, PHONE_SHA256; "
                        + "first phone hash " + phoneHashStart + "…)")
                .contains("would replace with 2 members", "batch 2 of session 42 (the last)");
    }

    @Test
    void healthIsAlwaysNormal() {
        assertThat(provider.health("log-vip")).isEqualTo(new AudienceHealth(200, "Normal (log provider)"));
        assertThat(provider.health("log-vip").flagged()).isFalse();
    }

    @Test
    void createGivesAnIdFromTheName() {
        assertThat(provider.create("VIP customers (Spring 2026)", null)).isEqualTo("log-vip-customers-spring-2026");
        assertThat(provider.create("★★★", "stars")).isEqualTo("log-audience");
        assertThatThrownBy(() -> provider.create(" ", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesWhatMetaWouldRefuse() {
        HashedMember member = members().get(0);
        assertThatThrownBy(() -> provider.add("123", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> provider.remove("123", Collections.nCopies(10_001, member)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> provider.replace("123", new ReplaceBatch(1L, 1, true, 0L), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
