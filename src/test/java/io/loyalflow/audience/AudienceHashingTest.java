package io.loyalflow.audience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Expected hashes computed outside Java, e.g. {@code printf '%s' test@example.com | sha256sum}. */
class AudienceHashingTest {

    private static final String TEST_AT_EXAMPLE = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b";
    private static final String JOHN_DOE = "836f82db99121b3481011f16b49dfa5fbc714a0d1b1b9f784a1ebbbf5b39577f";
    private static final String LONDON_442079460018 =
            "99a4599795d24445a5be21117f375c1bbe9e795daf7f62666686ce081e1f32dc";
    private static final String US_16505551234 = "6069d14bf122fdfd931dc7beb58e5dfbba395b1faf05bdcd42d12358d63d8599";

    @Test
    void sha256OfAKnownValue() {
        assertThat(AudienceHashing.sha256Hex("test@example.com")).isEqualTo(TEST_AT_EXAMPLE);
    }

    @Test
    void anEmailIsTrimmedAndLowerCasedBeforeHashing() {
        assertThat(AudienceHashing.normaliseEmail(" John.Doe@Example.COM ")).isEqualTo("john.doe@example.com");
        assertThat(AudienceHashing.member(" John.Doe@Example.COM ", null, "US"))
                .contains(new HashedMember(JOHN_DOE, null));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t\n"})
    void aBlankEmailIsNoEmail(String email) {
        assertThat(AudienceHashing.normaliseEmail(email)).isNull();
    }

    @ParameterizedTest
    @CsvSource({
        "020 7946 0018, GB, 442079460018",
        "+44 20 7946 0018, US, 442079460018",
        "00 44 20 7946 0018, US, 442079460018",
        "0044 20 7946 0018, GB, 442079460018",
        "+1 (650) 555-1234, GB, 16505551234",
        "(650) 555-1234, us, 16505551234"
    })
    void aPhoneBecomesItsDigitsWithCountryCodeAndNoPlusOrLeadingZeros(String raw, String region, String expected) {
        assertThat(AudienceHashing.normalisePhone(raw, region)).isEqualTo(expected);
    }

    @Test
    void phoneHashesMatchTheNormalisedDigits() {
        assertThat(AudienceHashing.member(null, "020 7946 0018", "GB"))
                .contains(new HashedMember(null, LONDON_442079460018));
        assertThat(AudienceHashing.member("test@example.com", "+1 (650) 555-1234", "GB"))
                .contains(new HashedMember(TEST_AT_EXAMPLE, US_16505551234));
    }

    @ParameterizedTest
    @ValueSource(strings = {"12", "not a phone", "+44 20 7946", "020 7946 0018 999 999", "+999 1234 5678"})
    void anInvalidPhoneIsNoPhone(String raw) {
        assertThat(AudienceHashing.normalisePhone(raw, "GB")).isNull();
    }

    @Test
    void aNationalNumberWithoutRegionIsNoPhone() {
        assertThat(AudienceHashing.normalisePhone("020 7946 0018", null)).isNull();
    }

    @Test
    void aCustomerWithNeitherUsableEmailNorPhoneIsNoMember() {
        assertThat(AudienceHashing.member("  ", "12", "GB")).isEqualTo(Optional.empty());
        assertThat(AudienceHashing.member(null, null, "GB")).isEmpty();
    }

    @Test
    void anInvalidPhoneDoesNotCostTheEmail() {
        assertThat(AudienceHashing.member("Test@Example.com", "12", "GB"))
                .contains(new HashedMember(TEST_AT_EXAMPLE, null));
    }

    @Test
    void aMillionMembersAreHashedInAFewSeconds() {
        long started = System.nanoTime();
        int hashed = 0;
        for (int i = 0; i < 1_000_000; i++) {
            if (AudienceHashing.member("customer" + i + "@example.com", null, "GB")
                    .isPresent()) {
                hashed++;
            }
        }
        assertThat(hashed).isEqualTo(1_000_000);
        assertThat((System.nanoTime() - started) / 1_000_000).as("milliseconds").isLessThan(5_000);
    }

    @Test
    void onlyHashesMakeAMember() {
        assertThatThrownBy(() -> new HashedMember("test@example.com", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new HashedMember(null, null)).isInstanceOf(IllegalArgumentException.class);
    }
}
