package io.loyalflow.audience;

import static org.assertj.core.api.Assertions.assertThat;

import com.facebook.ads.sdk.APIRequest;
import io.loyalflow.platform.engine.MissingAdminCredentialsFailureAnalyzer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

class AudienceProviderConfigurationTest {

    private final ApplicationContextRunner context =
            new ApplicationContextRunner().withUserConfiguration(AudienceProviderConfiguration.class);

    private final APIRequest.IRequestExecutor sdkExecutor = APIRequest.getExecutor();

    @AfterEach
    void restoreTheSdkExecutor() {
        APIRequest.changeRequestExecutor(sdkExecutor);
    }

    @Test
    void theLogProviderIsTheDefault() {
        context.run(started -> {
            assertThat(started).hasSingleBean(AudienceProvider.class);
            assertThat(started.getBean(AudienceProvider.class)).isInstanceOf(LogAudienceProvider.class);
            AudienceProperties properties = started.getBean(AudienceProperties.class);
            assertThat(properties.batchSize()).isEqualTo(10_000);
            assertThat(properties.syncCycle()).isEqualTo("0 * * * * ?");
            assertThat(properties.meta().apiVersion()).isEqualTo("v24.0");
            assertThat(properties.meta().baseUrl()).hasToString("https://graph.facebook.com");
        });
    }

    @Test
    void theMetaProviderWithItsSettingsInstallsTheTimedTransport() {
        context.withPropertyValues(
                        "loyalflow.audiences.provider=meta",
                        "loyalflow.audiences.meta.ad-account=act_1234567890",
                        "loyalflow.audiences.meta.access-token=EAAtoken",
                        "loyalflow.audiences.meta.read-timeout=PT30S")
                .run(started -> {
                    assertThat(started.getBean(AudienceProvider.class)).isInstanceOf(MetaAudienceProvider.class);
                    assertThat(started.getBean(AudienceProvider.class).name()).isEqualTo("meta");
                    assertThat(APIRequest.getExecutor()).isInstanceOf(MetaRequestExecutor.class);
                    assertThat(started.getBean(AudienceProperties.class).meta().adAccountId())
                            .isEqualTo("act_1234567890");
                    assertThat(started.getBean(AudienceProperties.class).toString())
                            .doesNotContain("EAAtoken");
                });
    }

    @Test
    void theMetaProviderWithoutAccountAndTokenRefusesToStartNamingBoth() {
        context.withPropertyValues("loyalflow.audiences.provider=meta").run(started -> {
            assertThat(started).hasFailed();
            Throwable failure = started.getStartupFailure();
            while (!(failure instanceof MissingAudienceSettingsException) && failure.getCause() != null) {
                failure = failure.getCause();
            }
            assertThat(failure).isInstanceOf(MissingAudienceSettingsException.class);

            FailureAnalysis analysis =
                    new MissingAudienceSettingsFailureAnalyzer().analyze(started.getStartupFailure());

            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription())
                    .contains("loyalflow.audiences.meta.ad-account", "loyalflow.audiences.meta.access-token");
            assertThat(analysis.getAction())
                    .contains(
                            "loyalflow.audiences.meta.ad-account (LOYALFLOW_AUDIENCES_META_AD_ACCOUNT)",
                            "loyalflow.audiences.meta.access-token (LOYALFLOW_AUDIENCES_META_ACCESS_TOKEN)");
        });
    }

    @Test
    void springBootFindsTheFailureAnalyzer() {
        // Spring Boot's own analyzers need a bean factory this test does not have: those are skipped.
        SpringFactoriesLoader.FailureHandler skipOthers = (factoryType, factoryImplementationName, failure) -> {};
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(FailureAnalyzer.class, null, skipOthers))
                .hasAtLeastOneElementOfType(MissingAudienceSettingsFailureAnalyzer.class)
                .hasAtLeastOneElementOfType(MissingAdminCredentialsFailureAnalyzer.class);
    }

    @Test
    void onlyWhatIsMissingIsNamed() {
        context.withPropertyValues(
                        "loyalflow.audiences.provider=meta", "loyalflow.audiences.meta.ad-account=1234567890")
                .run(started -> {
                    FailureAnalysis analysis =
                            new MissingAudienceSettingsFailureAnalyzer().analyze(started.getStartupFailure());
                    assertThat(analysis.getAction())
                            .contains("LOYALFLOW_AUDIENCES_META_ACCESS_TOKEN")
                            .doesNotContain("LOYALFLOW_AUDIENCES_META_AD_ACCOUNT");
                });
    }

    @Test
    void anUnknownProviderOrAnOversizedBatchIsRefused() {
        context.withPropertyValues("loyalflow.audiences.provider=tiktok")
                .run(started -> assertThat(started)
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("loyalflow.audiences")
                        .hasMessageContaining("provider"));
        context.withPropertyValues("loyalflow.audiences.batch-size=10001")
                .run(started -> assertThat(started).getFailure().rootCause().hasMessageContaining("batchSize"));
        context.withPropertyValues("loyalflow.audiences.meta.ad-account=act_12ab")
                .run(started -> assertThat(started).getFailure().rootCause().hasMessageContaining("adAccount"));
    }
}
