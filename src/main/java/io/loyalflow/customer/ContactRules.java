package io.loyalflow.customer;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import io.loyalflow.platform.problem.Violations;
import java.time.ZoneId;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.validator.routines.EmailValidator;
import org.springframework.stereotype.Component;

/**
 * How contact data is checked and normalised: phone numbers to E.164 (libphonenumber, national
 * numbers read in the locale's country or the configured default region), emails syntactically
 * and against the list of real top-level domains, locales as BCP 47 tags, time zones as IANA ids.
 */
@Component
public class ContactRules {

    private static final PhoneNumberUtil PHONES = PhoneNumberUtil.getInstance();
    private static final EmailValidator EMAILS = EmailValidator.getInstance(false, false);
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds();
    private static final Set<String> LANGUAGES = Set.of(Locale.getISOLanguages());

    private final CustomerProperties properties;

    public ContactRules(CustomerProperties properties) {
        this.properties = properties;
    }

    public String email(String raw, Violations violations) {
        if (raw == null) {
            return null;
        }
        String email = raw.trim();
        int at = email.lastIndexOf('@');
        if (at <= 0 || !EMAILS.isValid(email)) {
            violations.add("email", "not a valid email address");
            return null;
        }
        return email.substring(0, at) + email.substring(at).toLowerCase(Locale.ROOT);
    }

    /** The E.164 form of a phone number, e.g. {@code +33612345678}. */
    public String phone(String raw, String normalisedLocale, Violations violations) {
        if (raw == null) {
            return null;
        }
        String region = Optional.ofNullable(normalisedLocale)
                .map(Locale::forLanguageTag)
                .map(Locale::getCountry)
                .filter(country -> !country.isEmpty())
                .orElse(properties.defaultPhoneRegion());
        try {
            PhoneNumber number = PHONES.parse(raw, region);
            if (!PHONES.isValidNumber(number)) {
                violations.add(
                        "phone",
                        "not a valid phone number"
                                + (raw.trim().startsWith("+")
                                        ? ""
                                        : " (national numbers are read as " + region
                                                + "; send +<country code> to be explicit)"));
                return null;
            }
            return PHONES.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            violations.add("phone", "not a phone number: " + e.getMessage());
            return null;
        }
    }

    /** The one IANA time zone the number's region lies in, if it has exactly one. */
    public Optional<String> timeZoneOfPhone(String e164) {
        if (e164 == null) {
            return Optional.empty();
        }
        try {
            List<String> zones =
                    PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(PHONES.parse(e164, null));
            return zones.size() == 1 && ZONES.contains(zones.get(0)) ? Optional.of(zones.get(0)) : Optional.empty();
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }

    public String locale(String raw, Violations violations) {
        if (raw == null) {
            return null;
        }
        try {
            Locale locale = new Locale.Builder().setLanguageTag(raw.trim()).build();
            if (!LANGUAGES.contains(locale.getLanguage())) {
                violations.add("locale", "unknown language in '" + raw + "'; expected a BCP 47 tag such as fr-FR");
                return null;
            }
            return locale.toLanguageTag();
        } catch (IllformedLocaleException e) {
            violations.add("locale", "not a BCP 47 language tag (such as fr-FR): " + e.getMessage());
            return null;
        }
    }

    public String timeZone(String raw, Violations violations) {
        if (raw == null) {
            return null;
        }
        String zone = raw.trim();
        if (!ZONES.contains(zone)) {
            violations.add("timeZone", "unknown time zone '" + raw + "'; expected an IANA id such as Europe/Paris");
            return null;
        }
        return zone;
    }
}
