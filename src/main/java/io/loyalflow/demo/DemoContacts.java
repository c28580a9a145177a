package io.loyalflow.demo;

import io.loyalflow.customer.ConsentStatement;
import io.loyalflow.customer.ConsentStatements;
import io.loyalflow.customer.ConsentStatus;
import io.loyalflow.customer.CustomerProfileRequest;
import io.loyalflow.customer.ReferralRequest;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * Generated contacts for the demo customers that can never reach a real person: e-mail addresses at
 * {@code example.com} (reserved by RFC 2606), phone numbers only from ranges reserved for fiction:
 * {@code +1 NXX 555-0100} to {@code 555-0199} (North American Numbering Plan, for customers in North
 * American zones) and Ofcom's drama ranges {@code 020 7946 0000-0999}, {@code 0113 496 0000-0999},
 * {@code 0161 496 0000-0999} (everyone else; Ofcom's drama mobile range 07700 900xxx is refused as
 * invalid by libphonenumber, and no other country's fiction range is one it accepts). A customer's contact
 * depends only on their CDNOW number and the seed, so a second load states the same profile again.
 */
final class DemoContacts {

    /** A zone customers live in, its share of them (percent) and, in North America, area codes for 555 numbers. */
    record Zone(String id, int percent, List<String> areaCodes) {}

    /**
     * Spread around the globe so that, at any hour, some customers are inside the sending windows
     * (08:00-21:00 local): the Americas, Europe, Asia and Oceania.
     */
    static final List<Zone> ZONES = List.of(
            new Zone("America/New_York", 24, List.of("212", "646", "617", "305", "404")),
            new Zone("America/Chicago", 10, List.of("312", "512", "214")),
            new Zone("America/Denver", 4, List.of("303")),
            new Zone("America/Los_Angeles", 14, List.of("213", "415", "206", "702")),
            new Zone("America/Toronto", 3, List.of("416")),
            new Zone("Europe/London", 12, List.of()),
            new Zone("Europe/Berlin", 8, List.of()),
            new Zone("Europe/Paris", 5, List.of()),
            new Zone("Asia/Kolkata", 4, List.of()),
            new Zone("Asia/Singapore", 4, List.of()),
            new Zone("Asia/Tokyo", 6, List.of()),
            new Zone("Australia/Sydney", 4, List.of()),
            new Zone("Pacific/Auckland", 2, List.of()));

    private static final List<String> UK_DRAMA_PREFIXES = List.of("+442079460", "+441134960", "+441614960");
    private static final Pattern FICTIONAL_PHONE =
            Pattern.compile("\\+1[2-9]\\d{2}55501\\d{2}|\\+44(2079460|1134960|1614960)\\d{3}");
    private static final List<String> FIRST_NAMES = List.of(
            "Ada", "Ben", "Cleo", "Dev", "Eva", "Finn", "Gia", "Hugo", "Iris", "Jon", "Kai", "Lena", "Milo", "Nora",
            "Omar", "Pia", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Vic", "Wren", "Yara", "Zane");
    private static final List<String> LAST_NAMES = List.of(
            "Abbott",
            "Baker",
            "Castro",
            "Dalton",
            "Ellis",
            "Fischer",
            "Garcia",
            "Hughes",
            "Ito",
            "Jensen",
            "Khan",
            "Lopez",
            "Meyer",
            "Nakamura",
            "Okafor",
            "Patel",
            "Quist",
            "Rossi",
            "Silva",
            "Tanaka",
            "Ueda",
            "Vargas",
            "Weber",
            "Young",
            "Zhou");
    static final String SOURCE = "demo";

    /** One customer's contact, which channels they consented to, and whether to paid-ads audiences. */
    record Contact(
            String firstName,
            String lastName,
            String email,
            String phone,
            String timeZone,
            boolean emailConsent,
            boolean smsConsent,
            boolean adsConsent) {

        CustomerProfileRequest profile() {
            return new CustomerProfileRequest(
                    email,
                    phone,
                    firstName,
                    lastName,
                    null,
                    timeZone,
                    null,
                    new ConsentStatements(
                            emailConsent ? new ConsentStatement(ConsentStatus.OPTED_IN, SOURCE, null) : null,
                            smsConsent ? new ConsentStatement(ConsentStatus.OPTED_IN, SOURCE, null) : null,
                            // stated either way: the ad audiences hold back whoever opted out, visibly
                            new ConsentStatement(
                                    adsConsent ? ConsentStatus.OPTED_IN : ConsentStatus.OPTED_OUT, SOURCE, null)));
        }
    }

    private final long seed;
    private final double emailConsentShare;
    private final double phoneShare;
    private final double smsConsentShare;
    private final double adsConsentShare;

    DemoContacts(
            long seed, double emailConsentShare, double phoneShare, double smsConsentShare, double adsConsentShare) {
        this.seed = seed;
        this.emailConsentShare = emailConsentShare;
        this.phoneShare = phoneShare;
        this.smsConsentShare = smsConsentShare;
        this.adsConsentShare = adsConsentShare;
    }

    /**
     * The referral program's statistics of CDNOW customer {@code number}, or null for the customers the program
     * knows nothing of: a third active, two thirds dormant (the advocate referral's A/B test of incentives takes
     * the dormant ones), 0 to 3 friends referred, a share link on the shop's example domain.
     */
    ReferralRequest referralOf(int number, double referralShare) {
        SplittableRandom random = new SplittableRandom(seed * 2_000_003L + number);
        if (random.nextDouble() >= referralShare) {
            return null;
        }
        String activity = random.nextInt(3) == 0 ? "Active" : "Dormant";
        int referred = random.nextInt(10) < 7 ? 0 : 1 + random.nextInt(3);
        return new ReferralRequest(
                activity,
                referred,
                String.format(Locale.ROOT, "https://shop.example.com/r/demo%05d", number),
                BigDecimal.valueOf(referred * 40L + random.nextInt(200)),
                null);
    }

    /** The contact of CDNOW customer {@code number} (1 to 23,570). */
    Contact of(long number) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L + number);
        Zone zone = zone(random.nextInt(100));
        String first = FIRST_NAMES.get(random.nextInt(FIRST_NAMES.size()));
        String last = LAST_NAMES.get(random.nextInt(LAST_NAMES.size()));
        String email = String.format(Locale.ROOT, "%s.%s.%05d@example.com", first, last, number)
                .toLowerCase(Locale.ROOT);
        String phone = null;
        if (random.nextDouble() < phoneShare) {
            int line = random.nextInt(1000);
            phone = zone.areaCodes().isEmpty()
                    ? UK_DRAMA_PREFIXES.get(random.nextInt(UK_DRAMA_PREFIXES.size()))
                            + String.format(Locale.ROOT, "%03d", line)
                    : "+1"
                            + zone.areaCodes()
                                    .get(random.nextInt(zone.areaCodes().size()))
                            + String.format(Locale.ROOT, "55501%02d", line % 100);
        }
        boolean emailConsent = random.nextDouble() < emailConsentShare;
        boolean smsConsent = phone != null && random.nextDouble() < smsConsentShare;
        // drawn last, so every earlier draw (and a contact generated before ads consent existed) stays the same
        boolean adsConsent = random.nextDouble() < adsConsentShare;
        return new Contact(first, last, email, phone, zone.id(), emailConsent, smsConsent, adsConsent);
    }

    /**
     * The contact of newcomer {@code number} (a customer the demo shop invents, not one of CDNOW's): as generated
     * contacts are, but always opted in to e-mail (they sign up with their first order).
     */
    Contact newcomer(long number) {
        Contact drawn = of(number);
        String email = String.format(
                        Locale.ROOT, "%s.%s.new%d@example.com", drawn.firstName(), drawn.lastName(), number)
                .toLowerCase(Locale.ROOT);
        return new Contact(
                drawn.firstName(),
                drawn.lastName(),
                email,
                drawn.phone(),
                drawn.timeZone(),
                true,
                drawn.smsConsent(),
                drawn.adsConsent());
    }

    private static Zone zone(int percentile) {
        int upTo = 0;
        for (Zone zone : ZONES) {
            upTo += zone.percent();
            if (percentile < upTo) {
                return zone;
            }
        }
        return ZONES.get(0);
    }

    /** Whether a phone number (E.164) is in one of the ranges reserved for fiction that demo contacts use. */
    static boolean fictionalPhone(String e164) {
        return e164 != null && FICTIONAL_PHONE.matcher(e164).matches();
    }
}
