package io.loyalflow.demo;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The CDNOW demo ({@code loyalflow.demo.*}): whether it loads, how many of its customers, the share of
 * generated contacts with consent, and the engagement simulator.
 *
 * @param cdnow load the demo at start
 * @param customers the first customers of the CDNOW log to load (0: all 23,570)
 * @param emailConsentShare share of demo customers who opted in to marketing e-mail
 * @param phoneShare share of demo customers with a phone number
 * @param smsConsentShare share of the customers with a phone number who opted in to SMS
 * @param adsConsentShare share of demo customers who opted in to paid-ads audiences (the rest opted out), so the demo's
 *     ad audiences send some of their members and hold back the others
 * @param referralShare share of demo customers the referral program has statistics for (a third of them active,
 *     the rest dormant, so the advocate referral's incentive test has customers)
 * @param simulator the engagement simulator
 */
@ConfigurationProperties("loyalflow.demo")
record DemoProperties(
        @DefaultValue("false") boolean cdnow,
        @DefaultValue("0") int customers,
        @DefaultValue("0.7") double emailConsentShare,
        @DefaultValue("0.8") double phoneShare,
        @DefaultValue("0.5") double smsConsentShare,
        @DefaultValue("0.6") double adsConsentShare,
        @DefaultValue("0.6") double referralShare,
        @DefaultValue Simulator simulator) {

    /**
     * Opens, clicks, bounces and orders for the demo's messages, posted through the signed webhooks and
     * the order intake.
     *
     * @param enabled on with the demo, unless switched off; never under a production profile
     * @param seed the random seed: the same seed gives every message the same fate
     * @param interval how often the simulator looks for new messages
     * @param delay the longest delay between a message's send and its simulated engagement
     * @param ordersPerMinute orders of random demo customers per minute besides those a message brings
     * @param email rates of every e-mail step without rates of its own
     * @param sms rates of every SMS step without rates of its own
     * @param newcomersPerMinute new customers per minute: a profile (fictional contact, opted in to e-mail) and a
     *     first order of the demo shop's CDs, placed now (they start welcome journeys)
     * @param carts the demo shop's carts (CDNOW has none): how many, how they change and how they end
     * @param steps rates per campaign id and send step id (the BPMN task id), each rate left out taken from the
     *     channel's; ids match ignoring case and anything but letters and digits (Spring drops the {@code _})
     */
    record Simulator(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("42") long seed,
            @DefaultValue("5s") Duration interval,
            @DefaultValue("30s") Duration delay,
            @DefaultValue("6") double ordersPerMinute,
            @DefaultValue Rates email,
            @DefaultValue Rates sms,
            @DefaultValue("3") double newcomersPerMinute,
            @DefaultValue Carts carts,
            Map<String, Map<String, Rates>> steps) {

        Simulator {
            Map<String, Map<String, Rates>> normalised = new HashMap<>();
            if (steps != null) {
                steps.forEach((campaign, byStep) -> byStep.forEach((step, rates) -> normalised
                        .computeIfAbsent(normal(campaign), c -> new HashMap<>())
                        .put(normal(step), rates)));
            }
            steps = Map.copyOf(normalised);
        }

        /** The rates of one campaign's send step: its own where set, else its channel's, else the built-in ones. */
        Rates ratesOf(String campaign, String activityId, boolean isSms) {
            Rates channel = (isSms ? sms : email).orElse(isSms ? Rates.SMS : Rates.EMAIL);
            Rates own = steps.getOrDefault(normal(campaign), Map.of()).get(normal(activityId));
            return own == null ? channel : own.orElse(channel);
        }

        private static String normal(String key) {
            return key == null ? "" : key.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        }
    }

    /**
     * The demo shop's carts, each of a random demo customer, through the cart module as a shop's
     * {@code PUT /api/carts/{id}} would send them. Shares are of the carts begun; the rest are abandoned.
     *
     * @param perMinute carts begun per minute
     * @param maxUpdates the most updates of one cart (1 to this many: items added, quantities changed, lines removed)
     * @param span the time over which a cart's updates are spread (its clearing or checkout follows within half of it)
     * @param anonymousShare share begun by an anonymous visitor who names the customer at a later update (a login)
     * @param clearedShare share emptied in the end (an empty update or the cleared call)
     * @param orderedShare share checked out and ordered (the order names the cart), 5 to 25 s after the checkout
     */
    record Carts(
            @DefaultValue("8") double perMinute,
            @DefaultValue("4") int maxUpdates,
            @DefaultValue("60s") Duration span,
            @DefaultValue("0.2") double anonymousShare,
            @DefaultValue("0.15") double clearedShare,
            @DefaultValue("0.25") double orderedShare) {}

    /**
     * What happens to one message, as probabilities (0 to 1). E-mail: {@code bounce} of the sent, else it is
     * delivered; {@code open} of the delivered; {@code click} of the opened; {@code order} of the clicked.
     * SMS: {@code bounce} of the sent fail (undelivered), else delivered; {@code order} of the delivered.
     */
    record Rates(Double bounce, Double open, Double click, Double order) {

        static final Rates EMAIL = new Rates(0.02, 0.45, 0.3, 0.2);
        static final Rates SMS = new Rates(0.03, null, null, 0.06);

        Rates orElse(Rates other) {
            return new Rates(
                    bounce != null ? bounce : other.bounce,
                    open != null ? open : other.open,
                    click != null ? click : other.click,
                    order != null ? order : other.order);
        }

        double bounceRate() {
            return bounce == null ? 0 : bounce;
        }

        double openRate() {
            return open == null ? 0 : open;
        }

        double clickRate() {
            return click == null ? 0 : click;
        }

        double orderRate() {
            return order == null ? 0 : order;
        }
    }
}
