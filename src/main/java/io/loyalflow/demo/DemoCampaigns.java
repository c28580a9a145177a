package io.loyalflow.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.Campaigns;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * One campaign per shipped template, created and activated through the campaign module as an analyst
 * would: value-segment upgrade, win-back, advocate referral, best customer, abandoned cart, welcome, cross-sell, advocate and retention. Their
 * waits are minutes instead of days, so a newcomer sees whole journeys (reminders, A/B arms, lapses) within
 * minutes; the A/B splits keep the template's default weights. A campaign that exists already is left as it is (an
 * operator may have paused or changed it).
 */
@Component
class DemoCampaigns {

    static final String VALUE_UPGRADE = "demo-value-upgrade";
    static final String WIN_BACK = "demo-win-back";
    static final String ADVOCATE_REFERRAL = "demo-advocate-referral";
    static final String BEST_CUSTOMER = "demo-best-customer";
    static final String ABANDONED_CART = "demo-abandoned-cart";
    static final String WELCOME = "demo-welcome";
    static final String CROSS_SELL = "demo-cross-sell";
    static final String ADVOCATE = "demo-advocate";
    static final String RETENTION = "demo-retention";
    static final List<String> IDS = List.of(
            VALUE_UPGRADE,
            WIN_BACK,
            ADVOCATE_REFERRAL,
            BEST_CUSTOMER,
            ABANDONED_CART,
            WELCOME,
            CROSS_SELL,
            ADVOCATE,
            RETENTION);

    private static final Map<String, Object> SENDER = Map.of("email", "club@shop.example.com", "name", "The Demo Shop");

    private final Campaigns campaigns;
    private final ObjectMapper json;

    DemoCampaigns(Campaigns campaigns, ObjectMapper json) {
        this.campaigns = campaigns;
        this.json = json;
    }

    /** Creates the campaigns missing and activates those still in DRAFT; answers them as they stand. */
    List<Campaign> ensureActive() {
        ensure(VALUE_UPGRADE, "Congratulate value-tier upgrades", "value-segment-upgrade", valueUpgrade());
        ensure(WIN_BACK, "Win back lapsing customers", "win-back", winBack());
        ensure(ADVOCATE_REFERRAL, "Turn defecting buyers into advocates", "advocate-referral", advocateReferral());
        ensure(BEST_CUSTOMER, "Thank our best customers", "best-customer", bestCustomer());
        ensure(ABANDONED_CART, "Remind abandoned carts", "abandoned-cart", abandonedCart());
        ensure(WELCOME, "Welcome new customers", "welcome", welcome());
        ensure(CROSS_SELL, "Offer what goes with an order", "cross-sell", crossSell());
        ensure(ADVOCATE, "Let happy customers speak for us", "advocate", advocate());
        ensure(RETENTION, "Keep customers who are drifting away", "retention", retention());
        return IDS.stream().map(campaigns::get).toList();
    }

    private void ensure(String id, String name, String template, Map<String, Object> settings) {
        Campaign campaign = campaigns.find(id).orElse(null);
        if (campaign == null) {
            campaign = campaigns.create(id, name, template, json.valueToTree(settings));
        }
        if (campaign.state() == Campaign.State.DRAFT) {
            campaigns.activate(id);
        }
    }

    private static Map<String, Object> email(String templateId, Map<String, Object> data) {
        return Map.of("templateId", templateId, "templateData", data);
    }

    private static Map<String, Object> valueUpgrade() {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                "Task_SendCongratulation",
                email(template(1), Map.of("name", "{{firstName}}", "tier", "{{var.newTier}}")));
        messages.put("Task_SendReminderEmail", email(template(2), Map.of("name", "{{firstName}}")));
        messages.put(
                "Task_SendReminderSms",
                Map.of("smsText", "{{firstName}}, welcome to {{var.newTier}}: your new benefits are in the app"));
        messages.put("Task_SendSurvey", email(template(3), Map.of("name", "{{firstName}}")));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trigger", Map.of("type", "TIER_CHANGED"));
        settings.put("sender", SENDER);
        settings.put("messages", messages);
        settings.put("waits", Map.of("openWait", "PT2M", "surveyWait", "PT15M"));
        settings.put("followUp", "satisfaction-survey");
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        return settings;
    }

    private static Map<String, Object> winBack() {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put("Task_SendOfferEmail", email(template(4), Map.of("name", "{{firstName}}", "code", "BACK15")));
        messages.put("Task_SendOfferSms", Map.of("smsText", "{{firstName}}, 15% off your next order: BACK15"));
        messages.put("Task_SendReminderEmail", email(template(5), Map.of("name", "{{firstName}}", "code", "BACK15")));
        messages.put("Task_SendReminderSms", Map.of("smsText", "Last days for BACK15, {{firstName}}"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("audience", Map.of("segment", "win-back"));
        settings.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
        settings.put("sender", SENDER);
        settings.put("messages", messages);
        settings.put("waits", Map.of("orderWait", "PT10M", "reminderWait", "PT10M"));
        settings.put("options", Map.of("secondReminder", true));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        return settings;
    }

    private static Map<String, Object> advocateReferral() {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                "Task_SendReferralReminder",
                email(
                        template(6),
                        Map.of(
                                "name",
                                "{{firstName}}",
                                "referrals",
                                "{{successfulReferrals}}",
                                "shareLink",
                                "{{referralShareUrl}}")));
        messages.put(
                "Task_SendVoucher",
                email(template(7), Map.of("code", "COMEBACK10", "products", "{{var.recommendations}}")));
        Map<String, Object> settings = new LinkedHashMap<>();
        // the seed's opt-in filter: only defecting buyers who opted in to e-mail enter
        settings.put(
                "audience",
                Map.of(
                        "segment",
                        "defecting-buyers",
                        "conditions",
                        Map.of("field", "emailConsent", "op", "eq", "value", true)));
        settings.put("trigger", Map.of("type", "RECURRING", "every", "P1D"));
        settings.put("sender", SENDER);
        settings.put("messages", messages);
        settings.put("waits", Map.of("responseWait", "PT15M"));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        return settings;
    }

    private static Map<String, Object> bestCustomer() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("variant", "STANDARD");
        settings.put("sender", SENDER);
        settings.put(
                "series",
                List.of(
                        Map.of("templateId", template(8), "after", "P0D"),
                        Map.of("templateId", template(9), "after", "PT10M")));
        return settings;
    }

    /**
     * Abandoned carts (carts the demo simulator fills): a reminder 2 minutes after the cart's last update, an A/B
     * test of the reminder (arm A: a plain reminder, arm B: a subject naming the customer and 10 % off, a CONTROL
     * holdout that gets none), an SMS 5 minutes later to those opted in. The e-mails carry the
     * cart's items and its link ({@code {{var.cartItems}}}, {@code {{var.cartUrl}}}).
     */
    private static Map<String, Object> abandonedCart() {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                "Task_SendReminderA",
                email(
                        template(10),
                        cartData(Map.of("subject", "You left something in your cart", "incentive", "none"))));
        messages.put(
                "Task_SendReminderB",
                email(
                        template(11),
                        cartData(Map.of(
                                "subject",
                                "{{firstName}}, your CDs are waiting: 10 % off today",
                                "incentive",
                                "10 % off",
                                "code",
                                "CART10"))));
        messages.put(
                "Task_SendSmsReminder",
                Map.of("smsText", "{{firstName}}, your cart is waiting: {{var.cartUrl}} (10 % off with CART10)"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trigger", Map.of("type", "CART_UPDATED"));
        settings.put("sender", SENDER);
        settings.put("messages", messages);
        settings.put("waits", Map.of("reminderDelay", "PT2M", "smsDelay", "PT5M"));
        // a holdout of 30 % shows the reminders' uplift; 30 journeys per arm (about 20 minutes of the demo shop)
        // before the review may declare a winner
        settings.put("arms", Map.of("Task_SplitReminder", "A:35, B:35, CONTROL:30"));
        settings.put("experiments", Map.of("Task_SplitReminder", Map.of("minSample", 30)));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        return settings;
    }

    private static Map<String, Object> cartData(Map<String, Object> arm) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("name", "{{firstName}}");
        data.put("items", "{{var.cartItems}}");
        data.put("cartUrl", "{{var.cartUrl}}");
        data.put("total", "{{var.cartTotal}}");
        data.put("currency", "{{var.cartCurrency}}");
        data.putAll(arm);
        return data;
    }

    /**
     * Welcome (customers the demo simulator invents, with their first order): a thank-you at once, product advice
     * 2 minutes later, a second-purchase incentive 10 minutes after the advice unless a second order came first.
     */
    private static Map<String, Object> welcome() {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                "Task_SendThankYou",
                email(template(12), Map.of("name", "{{firstName}}", "subject", "Thank you for your first order")));
        messages.put(
                "Task_SendAdvice",
                email(template(13), Map.of("name", "{{firstName}}", "subject", "Getting the most out of your CDs")));
        messages.put(
                "Task_SendIncentive",
                email(
                        template(14),
                        Map.of("name", "{{firstName}}", "subject", "15 % off your second order", "code", "HELLO15")));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trigger", Map.of("type", "FIRST_ORDER"));
        settings.put("sender", SENDER);
        settings.put("messages", messages);
        settings.put("waits", Map.of("adviceDelay", "PT2M", "secondOrderWait", "PT10M"));
        settings.put("reentry", Map.of("policy", "ONCE"));
        settings.put("exitGoal", "ORDER");
        return settings;
    }

    /**
     * Cross-sell (every new order: the demo shop's checkouts, the newcomers' first orders, the simulator's orders;
     * CDNOW's history is too old to enter): the offer after the time purchase data gives, clamped to 1 to 5 minutes,
     * 2 minutes without data; by e-mail with three CDs bought by customers who bought the same (arm A plain, arm B
     * 10 % off, a 20 % holdout), or by SMS with one; then 5 minutes for an order.
     */
    private static Map<String, Object> crossSell() {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                "Task_SendOfferA",
                email(
                        template(15),
                        Map.of(
                                "name",
                                "{{firstName}}",
                                "subject",
                                "Goes well with your last order",
                                "products",
                                "{{var.recommendations}}")));
        messages.put(
                "Task_SendOfferB",
                email(
                        template(16),
                        Map.of(
                                "name",
                                "{{firstName}}",
                                "subject",
                                "{{firstName}}, 10 % off what goes with your order",
                                "code",
                                "MORE10",
                                "products",
                                "{{var.recommendations}}")));
        messages.put(
                "Task_SendOfferSms",
                Map.of(
                        "smsText",
                        "{{firstName}}, goes with your last order: https://shop.example.com/products/"
                                + "{{var.smsProductsTopSku}}"));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trigger", Map.of("type", "ORDER_PLACED"));
        settings.put("sender", SENDER);
        settings.put("messages", messages);
        settings.put("waits", Map.of("minWait", "PT1M", "maxWait", "PT5M", "defaultWait", "PT2M", "offerWait", "PT5M"));
        settings.put("arms", Map.of("Task_SplitOffer", "A:40, B:40, CONTROL:20"));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        // its buyers join the journeys' ad audience on entry and leave it on exit: retargeting while the offer runs
        settings.put("adAudience", DemoAudiences.CROSS_SELL_BUYERS);
        return settings;
    }

    /**
     * Advocates (the satisfaction survey's answers, which {@link DemoSurveys} reports for random demo customers):
     * promoters are asked for a review or a referral with their share link, and their response awaited 10 minutes;
     * passives get a thank-you; detractors become a Tasklist task for the team (loyalflow-team).
     */
    private static Map<String, Object> advocate() {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                "Task_AskReview",
                email(template(30), Map.of("name", "{{firstName}}", "subject", "Would you review your last CDs?")));
        messages.put(
                "Task_AskReferral",
                email(
                        template(31),
                        Map.of(
                                "name",
                                "{{firstName}}",
                                "subject",
                                "Share the music: your friends get 10 % off",
                                "shareLink",
                                "{{referralShareUrl|https://shop.example.com/refer}}")));
        messages.put(
                "Task_SendThankYou",
                email(template(32), Map.of("name", "{{firstName}}", "subject", "Thank you for your answer")));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trigger", Map.of("type", "SURVEY_ANSWERED"));
        settings.put("sender", SENDER);
        settings.put("messages", messages);
        settings.put("waits", Map.of("responseWait", "PT10M"));
        settings.put("options", Map.of("thankPassives", true));
        settings.put(
                "teamTask",
                Map.of(
                        "title",
                        "Call back an unhappy customer",
                        "description",
                        "The customer gave us a low score: call, listen, and put right what went wrong."));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        return settings;
    }

    /**
     * Retention (customers the first refresh finds in churn-risk, those who bought within the last 120 days and opted
     * in to e-mail: the others are the win-back and advocate campaigns' customers): the re-engagement e-mail with
     * recommendations at once, the feedback request a minute later, answers (DemoFeedback) waited for 10 minutes; a
     * reason the shop can act on gives the team a Tasklist task.
     */
    private static Map<String, Object> retention() {
        Map<String, Object> messages = new LinkedHashMap<>();
        messages.put(
                "Task_SendReEngagement",
                email(
                        template(40),
                        Map.of(
                                "name",
                                "{{firstName}}",
                                "subject",
                                "We miss you: new CDs picked for you",
                                "products",
                                "{{var.recommendations}}")));
        messages.put(
                "Task_SendFeedbackRequest",
                email(template(41), Map.of("name", "{{firstName}}", "subject", "Why did you stop shopping with us?")));
        messages.put("Task_SendThanks", email(template(42), Map.of("name", "{{firstName}}", "subject", "Thank you")));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(
                "audience",
                Map.of(
                        "segment",
                        "churn-risk",
                        "conditions",
                        Map.of(
                                "and",
                                List.of(
                                        Map.of("field", "emailConsent", "op", "eq", "value", true),
                                        Map.of("field", "daysSinceLastOrder", "op", "lte", "value", 120)))));
        settings.put("trigger", Map.of("type", "SEGMENT_ENTERED"));
        settings.put("sender", SENDER);
        settings.put("messages", messages);
        settings.put("waits", Map.of("feedbackDelay", "PT1M", "feedbackWait", "PT10M"));
        settings.put(
                "teamTask",
                Map.of(
                        "title",
                        "Call back a customer who is drifting away",
                        "description",
                        "They told us why they stopped buying (a reason we can act on): call, listen, make it right."));
        settings.put("reentry", Map.of("policy", "AFTER_EXIT"));
        settings.put("exitGoal", "ORDER");
        return settings;
    }

    /** A SendGrid-shaped template id; the log provider sends nothing, so no such template needs to exist. */
    private static String template(int n) {
        return String.format("d-00000000000000000000000000de%04d", n);
    }
}
