package io.loyalflow.customer;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.time.ZoneId;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param defaultTimeZone the zone for customers whose profile and phone number give none
 * @param defaultPhoneRegion the country national phone numbers are read in when the locale has none
 */
@ConfigurationProperties("loyalflow.customers")
public record CustomerProperties(ZoneId defaultTimeZone, String defaultPhoneRegion) {

    public CustomerProperties {
        defaultTimeZone = defaultTimeZone == null ? ZoneId.of("UTC") : defaultTimeZone;
        defaultPhoneRegion = defaultPhoneRegion == null ? "US" : defaultPhoneRegion.toUpperCase(Locale.ROOT);
        if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(defaultPhoneRegion)) {
            throw new IllegalArgumentException(
                    "loyalflow.customers.default-phone-region (LOYALFLOW_DEFAULT_PHONE_REGION) '" + defaultPhoneRegion
                            + "' is not a country code libphonenumber knows, such as US or FR");
        }
    }
}
