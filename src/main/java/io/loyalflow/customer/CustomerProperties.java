package io.loyalflow.customer;

import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param defaultTimeZone the zone for customers whose profile and phone number give none
 * @param defaultPhoneRegion the country national phone numbers are read in when the locale has none
 */
@ConfigurationProperties("loyalflow.customers")
public record CustomerProperties(ZoneId defaultTimeZone, String defaultPhoneRegion) {

  public CustomerProperties {
    defaultTimeZone = defaultTimeZone == null ? ZoneId.of("UTC") : defaultTimeZone;
    defaultPhoneRegion = defaultPhoneRegion == null ? "US" : defaultPhoneRegion;
  }
}
