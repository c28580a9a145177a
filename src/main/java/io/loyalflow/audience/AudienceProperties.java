package io.loyalflow.audience;

import com.facebook.ads.sdk.APIConfig;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Ad audience settings ({@code loyalflow.audiences.*}); application.yml names each environment variable.
 *
 * @param provider {@code log} (logs what it would send, the default) or {@code meta}
 * @param syncCycle Camunda timer cycle of the audience sync
 * @param batchSize members a request, at most Meta's 10,000
 */
@Validated
@ConfigurationProperties("loyalflow.audiences")
record AudienceProperties(
        @Pattern(regexp = LOG + "|" + META, message = "must be 'log' or 'meta'")
        String provider,

        @Valid Meta meta,
        String syncCycle,
        @Min(1) @Max(AudienceProvider.MAX_BATCH) Integer batchSize) {

    static final String LOG = "log";
    static final String META = "meta";

    AudienceProperties {
        provider = provider == null || provider.isBlank() ? LOG : provider.strip();
        meta = meta == null ? new Meta(null, null, null, null, null, null, null) : meta;
        syncCycle = syncCycle == null || syncCycle.isBlank() ? "0 * * * * ?" : syncCycle.strip();
        batchSize = batchSize == null ? AudienceProvider.MAX_BATCH : batchSize;
    }

    /**
     * @param adAccount the ad account audiences are created in: its digits, with or without "act_"
     * @param accessToken a system user's token with ads_management (secret)
     * @param appSecret optional: when set, every call carries an appsecret_proof
     * @param apiVersion the Graph API version, the SDK's by default
     * @param baseUrl the Graph API (a test server otherwise)
     */
    record Meta(
            @Pattern(regexp = "(act_)?[0-9]{1,30}", message = "must be the ad account's digits, with or without act_")
            String adAccount,

            String accessToken,
            String appSecret,

            @Pattern(regexp = "v[0-9]{1,3}\\.[0-9]{1,3}", message = "must look like v24.0")
            String apiVersion,

            URI baseUrl,
            Duration connectTimeout,
            Duration readTimeout) {

        Meta {
            adAccount = blankToNull(adAccount);
            accessToken = blankToNull(accessToken);
            appSecret = blankToNull(appSecret);
            apiVersion =
                    apiVersion == null || apiVersion.isBlank() ? APIConfig.DEFAULT_API_VERSION : apiVersion.strip();
            baseUrl = baseUrl == null ? URI.create(APIConfig.DEFAULT_API_BASE) : baseUrl;
            connectTimeout = positive(connectTimeout, Duration.ofSeconds(5), "connect-timeout");
            readTimeout = positive(readTimeout, Duration.ofSeconds(60), "read-timeout");
        }

        /** The account's id as the Graph API paths name it. */
        String adAccountId() {
            return adAccount == null ? null : adAccount.startsWith("act_") ? adAccount : "act_" + adAccount;
        }

        // Records print their components; the token must not reach a log through a settings dump.
        @Override
        public String toString() {
            return "Meta[adAccount=" + adAccount + ", accessToken=" + (accessToken == null ? "(none)" : "(set)")
                    + ", appSecret=" + (appSecret == null ? "(none)" : "(set)") + ", apiVersion=" + apiVersion
                    + ", baseUrl=" + baseUrl + ", connectTimeout=" + connectTimeout + ", readTimeout="
                    + readTimeout + "]";
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value.strip();
        }

        private static Duration positive(Duration value, Duration fallback, String name) {
            if (value == null) {
                return fallback;
            }
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(
                        "loyalflow.audiences.meta." + name + " must be positive, got " + value);
            }
            return value;
        }
    }
}
