package io.loyalflow.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loyalflow.experiment.ExperimentSetting;
import io.loyalflow.messaging.MessageLimits;
import io.loyalflow.platform.problem.Violations;
import io.loyalflow.platform.security.LoyalflowGroups;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A campaign's settings, one immutable revision. Parsed strictly ({@link CampaignSettingsParser}): every
 * fault is reported with its path ({@code settings.messages.Task_SendOffer.templateId}), unknown keys
 * included. Stored and shown as JSON ({@link CampaignSettingsJson}).
 *
 * @param messages per send step id (the BPMN task id): the SendGrid template or the SMS text
 * @param waits per wait name the BPMN asks for (an ISO-8601 duration)
 * @param arms per A/B split step id: the arm weights ({@code A:50, B:50})
 * @param options switches a template offers (e.g. {@code secondReminder})
 * @param variant for templates offering variants (best-customer): which one; it picks the entry segment
 * @param series the e-mails of an e-mail series, in order (empty when the campaign has none)
 * @param smartSend the hour smart-sent e-mails go out at for customers without a usual purchase hour
 * @param teamTask the Tasklist task for the team after the series, or null for none
 * @param attribution the campaign report's attribution windows, or null for the defaults ({@link Attribution#DEFAULT})
 * @param experiments per A/B split step id: how its experiment is judged (metric, minimum sample, threshold,
 *     whether the winner is applied, the control arm, the window); splits not named take
 *     {@link ExperimentSetting#DEFAULTS}
 */
public record CampaignSettings(
        Audience audience,
        Trigger trigger,
        Sender sender,
        Map<String, Message> messages,
        Map<String, String> waits,
        Map<String, String> arms,
        String followUp,
        Reentry reentry,
        ExitGoal exitGoal,
        Map<String, Boolean> options,
        Variant variant,
        List<SeriesEmail> series,
        SmartSend smartSend,
        TeamTask teamTask,
        Attribution attribution,
        Map<String, ExperimentSetting> experiments,
        String adAudience) {

    // ---- attribution (campaign report) ----

    /**
     * How long after a touch of a journey an order counts for it in the campaign report: after a human open or a
     * click of one of its e-mails ({@code emailWindow}), after the delivery of one of its SMS ({@code smsWindow}).
     * ISO-8601 durations from {@link #MIN_ATTRIBUTION_WINDOW} to {@link #MAX_ATTRIBUTION_WINDOW}.
     */
    public record Attribution(String emailWindow, String smsWindow) {
        /** Klaviyo's defaults: 5 days after an e-mail open or click, 1 day after an SMS. */
        public static final Attribution DEFAULT = new Attribution("P5D", "P1D");

        public Duration email() {
            return durationOf(emailWindow);
        }

        public Duration sms() {
            return durationOf(smsWindow);
        }
    }

    public static final Duration MIN_ATTRIBUTION_WINDOW = Duration.ofHours(1);
    public static final Duration MAX_ATTRIBUTION_WINDOW = Duration.ofDays(90);

    /** The attribution windows the report applies: the campaign's, or the defaults. */
    public Attribution attributionOrDefault() {
        return attribution != null ? attribution : Attribution.DEFAULT;
    }

    // ---- end attribution ----

    /**
     * The Standard / Predictive choice of a best-customer campaign. The variant decides the segment whose
     * entries start journeys; the predictive segment is computed by the customer-value model.
     */
    public enum Variant {
        STANDARD(STANDARD_BEST_CUSTOMERS),
        PREDICTIVE(PREDICTIVE_BEST_CUSTOMERS);

        private final String segment;

        Variant(String segment) {
            this.segment = segment;
        }

        public String segment() {
            return segment;
        }
    }

    /** The segment of the standard variant: top 25 % by total spend among recent buyers. */
    public static final String STANDARD_BEST_CUSTOMERS = "best-customers";
    /** The segment of the predictive variant: top 25 % by predicted 12-month value (the customer-value model's). */
    public static final String PREDICTIVE_BEST_CUSTOMERS = "best-customers-predictive";
    /** The longest e-mail series a campaign may list. */
    public static final int MAX_SERIES = 100;

    /**
     * One e-mail of a series as the campaign lists it; what it leaves out it may inherit from e-mail 1
     * ({@link #seriesEmail(int)}).
     *
     * @param after the delay after the previous e-mail (e-mail 1: after entry), ISO-8601, P0D allowed
     * @param sender a sender override (a founder, a VP), or null
     * @param smartSend whether it waits for the customer's usual purchase hour; null when not set
     */
    public record SeriesEmail(
            String templateId, JsonNode templateData, String after, Sender sender, Boolean smartSend) {}

    /**
     * A series e-mail with what it inherits resolved.
     *
     * @param index 0 for e-mail 1
     * @param sender the effective sender, null for the service's configured one
     * @param senderField the setting the sender comes from ({@code settings.series[0].sender}), null for the configured one
     */
    public record ResolvedEmail(
            int index,
            String templateId,
            JsonNode templateData,
            String after,
            Sender sender,
            String senderField,
            boolean smartSend) {}

    /** @param fallbackHour 0–23: the local hour for customers without a usual purchase hour */
    public record SmartSend(int fallbackHour) {}

    /** @param candidateGroup the Camunda group that may claim the task; null for {@link LoyalflowGroups#TEAM} */
    public record TeamTask(String title, String candidateGroup, String description) {
        public String group() {
            return candidateGroup != null ? candidateGroup : LoyalflowGroups.TEAM;
        }
    }

    public enum TriggerType {
        SEGMENT_ENTERED,
        TIER_CHANGED,
        RECURRING,
        API_ONLY,
        /** The welcome template's default: the customer's real first order (see {@link Trigger#firstOrderMaxAge}). */
        FIRST_ORDER,
        /** The welcome template, per campaign: a new profile with e-mail consent. */
        NEW_PROFILE,
        /**
         * A customer's cart changed (template abandoned-cart): entered, restarted, replaced and closed by the
         * journey module's cart sweep, never by the scheduled campaign entry.
         */
        CART_UPDATED,
        /**
         * Every new order of a customer (template cross-sell): entered by the journey module's listener on recorded
         * orders; an order recorded more than {@link Trigger#orderMaxAge} after its placement (history, an import)
         * enters nobody.
         */
        ORDER_PLACED,
        /**
         * The customer event {@code SurveyAnswered} with a valid NPS score (template advocate): entered in the
         * transaction that records the event, once per event.
         */
        SURVEY_ANSWERED;

        /** The welcome programme's triggers: each customer's first order or registration, which happens once. */
        public boolean welcomesNewCustomers() {
            return this == FIRST_ORDER || this == NEW_PROFILE;
        }

        /**
         * Entered by the scheduled campaign-entry process (segment events, recurrence); the others by the API,
         * their durable events (the welcome programme) or the cart sweep.
         */
        public boolean enteredBySchedule() {
            return this == SEGMENT_ENTERED || this == TIER_CHANGED || this == RECURRING;
        }
    }

    /** The template of happy customers: entered by SURVEY_ANSWERED (an NPS answer) or TIER_CHANGED (the top tier). */
    public static final String ADVOCATE_TEMPLATE = "advocate";

    /** The template of the welcome programme: entered by FIRST_ORDER (default) or NEW_PROFILE, re-entry ONCE. */
    public static final String WELCOME_TEMPLATE = "welcome";
    /** How old a first order may be when it is recorded and still make its customer new, unless the campaign says. */
    public static final String DEFAULT_FIRST_ORDER_MAX_AGE = "P3D";
    /** The template of the cross-sell offer after an order: entered by ORDER_PLACED only, and the other way round. */
    public static final String CROSS_SELL_TEMPLATE = "cross-sell";
    /** How old an order may be when it is recorded and still enter the cross-sell, unless the campaign says. */
    public static final String DEFAULT_ORDER_MAX_AGE = "P3D";

    public enum ReentryPolicy {
        ONCE,
        AFTER_EXIT,
        EVERY_N_DAYS
    }

    public enum ExitGoal {
        NONE,
        ORDER
    }

    /** @param conditions a condition tree narrowing the segment (as in segment definitions), or null */
    public record Audience(String segment, JsonNode conditions) {}

    /**
     * @param every for RECURRING: how often current audience members are entered (ISO-8601, e.g. P1D)
     * @param firstOrderMaxAge for FIRST_ORDER: the oldest a customer's first order may be when it is recorded (its
     *     placement time to its recording) to make them new; older ones are history arriving late. Null: P3D.
     * @param orderMaxAge for ORDER_PLACED: the oldest an order may be when it is recorded to enter the campaign; older
     *     ones are history arriving late (an import). Null: P3D.
     */
    public record Trigger(TriggerType type, String every, String firstOrderMaxAge, String orderMaxAge) {

        public Trigger(TriggerType type, String every) {
            this(type, every, null, null);
        }

        public Trigger(TriggerType type, String every, String firstOrderMaxAge) {
            this(type, every, firstOrderMaxAge, null);
        }

        /** The campaign's order age limit for ORDER_PLACED, else {@link #DEFAULT_ORDER_MAX_AGE}. */
        public Duration orderMaxAgeOrDefault() {
            return durationOf(orderMaxAge != null ? orderMaxAge : DEFAULT_ORDER_MAX_AGE);
        }

        /** The campaign's first-order age limit, else {@link #DEFAULT_FIRST_ORDER_MAX_AGE}. */
        public Duration firstOrderMaxAgeOrDefault() {
            return durationOf(firstOrderMaxAge != null ? firstOrderMaxAge : DEFAULT_FIRST_ORDER_MAX_AGE);
        }
    }

    public record Sender(String email, String name) {}

    /** E-mail: {@code templateId} (and optional {@code templateData}); SMS: {@code smsText}. */
    public record Message(String templateId, JsonNode templateData, String smsText) {}

    public record Reentry(ReentryPolicy policy, Integer days) {}

    /**
     * The longest wait, delay or cycle a setting may give (ten years, P1Y counted as 365 days): the
     * engine adds it to today for a timer's due date, and far larger ones overflow there, failing
     * every journey's job long after the campaign was accepted.
     */
    public static final Duration MAX_DURATION = Duration.ofDays(3650);

    public static CampaignSettings empty() {
        return new CampaignSettings(
                null,
                new Trigger(TriggerType.API_ONLY, null),
                null,
                Map.of(),
                Map.of(),
                Map.of(),
                null,
                new Reentry(ReentryPolicy.AFTER_EXIT, null),
                ExitGoal.NONE,
                Map.of(),
                null,
                List.of(),
                null,
                null,
                null,
                Map.of(),
                null);
    }

    /** The split step's experiment setting: the campaign's, else the defaults. */
    public ExperimentSetting experiment(String step) {
        return experiments.getOrDefault(step, ExperimentSetting.DEFAULTS);
    }

    /** Parses settings; faults go to {@code violations} under {@code path}. */
    public static CampaignSettings parse(JsonNode node, String path, Violations violations) {
        return CampaignSettingsParser.parse(node, path, violations);
    }

    /**
     * E-mail {@code index + 1} of the series with what it inherits from e-mail 1: the sender (as a
     * whole, address and name together, so a VP's address never goes out under the founder's name),
     * the template data key by key (its own keys win; a key it sets to null drops e-mail 1's value),
     * and smart send. Never inherited: the template and the delay. E-mail 1 without a sender goes from
     * the campaign's {@code sender}, else the configured one.
     */
    public ResolvedEmail seriesEmail(int index) {
        if (index < 0 || index >= series.size()) {
            throw new IllegalArgumentException("the series has e-mails 1 to " + series.size() + ", not " + (index + 1));
        }
        SeriesEmail own = series.get(index);
        SeriesEmail first = series.get(0);
        Sender from = own.sender();
        String senderField = from == null ? null : "settings.series[" + index + "].sender";
        if (from == null && index > 0 && first.sender() != null) {
            from = first.sender();
            senderField = "settings.series[0].sender";
        }
        if (from == null && sender != null) {
            from = sender;
            senderField = "settings.sender";
        }
        JsonNode data = own.templateData();
        if (index > 0 && first.templateData() != null) {
            ObjectNode merged = first.templateData().deepCopy();
            if (own.templateData() != null) {
                own.templateData().fields().forEachRemaining(field -> {
                    if (field.getValue().isNull()) {
                        merged.remove(field.getKey());
                    } else {
                        merged.set(field.getKey(), field.getValue());
                    }
                });
            }
            data = merged;
        }
        Boolean smart = own.smartSend() != null ? own.smartSend() : first.smartSend();
        return new ResolvedEmail(
                index, own.templateId(), data, own.after(), from, senderField, Boolean.TRUE.equals(smart));
    }

    /** The settings as JSON, as stored and as the API shows them. */
    public JsonNode toJson() {
        return CampaignSettingsJson.toJson(this);
    }

    public boolean option(String name) {
        return Boolean.TRUE.equals(options.get(name));
    }

    /** An ISO-8601 duration as the engine's timers read it: days, hours and so on; P1M as 30 days. */
    public static Duration durationOf(String text) {
        return CampaignDurations.durationOf(text);
    }

    /**
     * Limits a new revision's settings must keep beyond what {@link #parse} checks: template data of at most
     * {@link MessageLimits#TEMPLATE_DATA} characters as JSON. Checked on requests only, so a revision stored
     * before the limit existed still loads.
     */
    public static void checkLimits(JsonNode node, String path, Violations violations) {
        CampaignSettingsParser.checkLimits(node, path, violations);
    }
}
