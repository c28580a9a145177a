package io.loyalflow.audience;

import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Chooses the audience provider by configuration and refuses to start with the Meta provider half configured. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AudienceProperties.class)
class AudienceProviderConfiguration {

    private static final Logger log = LoggerFactory.getLogger(AudienceProviderConfiguration.class);

    @Bean
    AudienceProvider audienceProvider(AudienceProperties properties) {
        if (AudienceProperties.META.equals(properties.provider())) {
            requireMetaSettings(properties);
            return new MetaAudienceProvider(properties.meta());
        }
        log.warn("Audience provider is 'log': audience changes are logged, NOT sent to Meta. "
                + "Set LOYALFLOW_AUDIENCES_PROVIDER=meta to sync Custom Audiences.");
        return new LogAudienceProvider();
    }

    static void requireMetaSettings(AudienceProperties properties) {
        List<String> missing = new ArrayList<>();
        if (properties.meta().adAccount() == null) {
            missing.add("loyalflow.audiences.meta.ad-account (LOYALFLOW_AUDIENCES_META_AD_ACCOUNT)");
        }
        if (properties.meta().accessToken() == null) {
            missing.add("loyalflow.audiences.meta.access-token (LOYALFLOW_AUDIENCES_META_ACCESS_TOKEN)");
        }
        if (!missing.isEmpty()) {
            throw new MissingAudienceSettingsException(missing);
        }
    }
}
