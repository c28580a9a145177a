package io.loyalflow.segment;

import static io.loyalflow.journey.JourneyVariables.EMAIL_CONSENT;
import static io.loyalflow.journey.JourneyVariables.HAS_EMAIL;
import static io.loyalflow.journey.JourneyVariables.HAS_PHONE;
import static io.loyalflow.journey.JourneyVariables.PREFERRED_CHANNEL;
import static io.loyalflow.journey.JourneyVariables.REFERRAL_ACTIVITY;
import static io.loyalflow.journey.JourneyVariables.SMS_CONSENT;
import static io.loyalflow.journey.JourneyVariables.SUCCESSFUL_REFERRALS;
import static io.loyalflow.segment.SegmentVariables.DAYS_SINCE_LAST_ORDER;
import static io.loyalflow.segment.SegmentVariables.HAS_RECENT_ORDER;
import static io.loyalflow.segment.SegmentVariables.MEDIAN_INTERPURCHASE_DAYS;
import static io.loyalflow.segment.SegmentVariables.MODEL_FITTED;
import static io.loyalflow.segment.SegmentVariables.NEW_TIER;
import static io.loyalflow.segment.SegmentVariables.ORDERS_12_MONTHS;
import static io.loyalflow.segment.SegmentVariables.PREDICTED_VALUE_PERCENTILE;
import static io.loyalflow.segment.SegmentVariables.PREVIOUS_TIER;
import static io.loyalflow.segment.SegmentVariables.PROBABILITY_ALIVE;
import static io.loyalflow.segment.SegmentVariables.SPEND_12_MONTHS;
import static io.loyalflow.segment.SegmentVariables.SPEND_PERCENTILE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.camunda.bpm.dmn.engine.DmnDecision;
import org.camunda.bpm.dmn.engine.DmnDecisionRuleResult;
import org.camunda.bpm.dmn.engine.DmnDecisionTableResult;
import org.camunda.bpm.dmn.engine.DmnEngine;
import org.camunda.bpm.dmn.engine.DmnEngineConfiguration;
import org.camunda.bpm.dmn.engine.delegate.DmnDecisionTableEvaluationListener;
import org.camunda.bpm.dmn.engine.delegate.DmnEvaluatedDecisionRule;
import org.camunda.bpm.engine.variable.VariableMap;
import org.camunda.bpm.engine.variable.Variables;
import org.camunda.bpm.model.dmn.Dmn;
import org.camunda.bpm.model.dmn.DmnModelInstance;
import org.camunda.bpm.model.dmn.instance.Decision;
import org.camunda.bpm.model.dmn.instance.DecisionTable;
import org.camunda.bpm.model.dmn.instance.Definitions;
import org.camunda.bpm.model.dmn.instance.Input;
import org.camunda.bpm.model.dmn.instance.Output;
import org.camunda.bpm.model.dmn.instance.Rule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The segment decision tables in {@code dmn/}, evaluated by the standalone DMN engine (the same FEEL
 * engine the service uses), with the variable names and types of the callers' contract. Every case
 * also names the rule that must match, so rules with the same output are told apart, and
 * {@link #everyRuleOfEveryTableIsCoveredByAWitness} proves that no rule goes untested.
 */
class DecisionTablesTest {

    static final Path DMN_FOLDER = Path.of("dmn");
    static final List<String> DECISION_KEYS = List.of(
            "value-tier",
            "tier-change",
            "win-back-window",
            "defecting-buyer",
            "best-customer",
            "best-customer-predictive",
            "referral-path",
            "channel-choice",
            "welcome-advice",
            "churn-risk",
            "leave-reason");

    private static final ThreadLocal<List<String>> matchedRules = ThreadLocal.withInitial(ArrayList::new);
    private static DmnEngine engine;
    private static final Map<String, DmnDecision> decisions = new HashMap<>();

    @BeforeAll
    static void parseTables() throws Exception {
        DmnDecisionTableEvaluationListener recordMatches = event -> matchedRules
                .get()
                .addAll(event.getMatchingRules().stream()
                        .map(DmnEvaluatedDecisionRule::getId)
                        .toList());
        DmnEngineConfiguration configuration = DmnEngineConfiguration.createDefaultDmnEngineConfiguration();
        configuration.customPostDecisionTableEvaluationListeners(List.of(recordMatches));
        engine = configuration.buildEngine();
        for (String key : DECISION_KEYS) {
            try (InputStream file = Files.newInputStream(DMN_FOLDER.resolve(key + ".dmn"))) {
                decisions.put(key, engine.parseDecision(key, file));
            }
        }
    }

    /** The one row a table produced and the one rule that produced it. */
    record Evaluation(DmnDecisionRuleResult outputs, String rule) {
        Object get(String output) {
            return outputs.getEntry(output);
        }
    }

    static Evaluation evaluate(String decisionKey, VariableMap variables) {
        matchedRules.get().clear();
        DmnDecisionTableResult result = engine.evaluateDecisionTable(decisions.get(decisionKey), variables);
        assertThat(result.getResultList())
                .as("%s with %s gives exactly one row", decisionKey, variables)
                .hasSize(1);
        assertThat(matchedRules.get())
                .as("%s with %s matches exactly one rule", decisionKey, variables)
                .hasSize(1);
        return new Evaluation(result.getSingleResult(), matchedRules.get().get(0));
    }

    // ---------------------------------------------------------------- value tier

    static VariableMap purchases(Double spend, Integer orders) {
        return Variables.createVariables()
                .putValueTyped(SPEND_12_MONTHS.name(), Variables.doubleValue(spend))
                .putValueTyped(ORDERS_12_MONTHS.name(), Variables.integerValue(orders));
    }

    @ParameterizedTest(name = "spend {0}, {1} orders -> {2} ({3})")
    @CsvSource(textBlock = """
      # spend,  orders, tier,     rank, rule
      5000,     10,     Platinum, 4,    Rule_Platinum
      1000,     6,      Platinum, 4,    Rule_Platinum
      1000,     5,      Gold,     3,    Rule_Gold
      999.99,   6,      Gold,     3,    Rule_Gold
      500,      3,      Gold,     3,    Rule_Gold
      499.99,   3,      Silver,   2,    Rule_SilverBySpend
      500,      2,      Silver,   2,    Rule_SilverBySpend
      5000,     1,      Silver,   2,    Rule_SilverBySpend
      150,      1,      Silver,   2,    Rule_SilverBySpend
      149.99,   2,      Silver,   2,    Rule_SilverByOrders
      20,       5,      Silver,   2,    Rule_SilverByOrders
      149.99,   1,      Bronze,   1,    Rule_Bronze
      0,        0,      Bronze,   1,    Rule_Bronze
      ,         ,       Bronze,   1,    Rule_Bronze
      ,         2,      Silver,   2,    Rule_SilverByOrders
      """)
    void valueTier(Double spend, Integer orders, String tier, int rank, String rule) {
        Evaluation evaluation = evaluate("value-tier", purchases(spend, orders));
        assertThat(evaluation.get("tier")).isEqualTo(tier);
        assertThat(evaluation.get("tierRank")).isEqualTo(rank).isInstanceOf(Integer.class);
        assertThat(evaluation.rule()).isEqualTo(rule);
    }

    @Test
    void valueTierAcceptsWholeNumbersForSpend() {
        Evaluation evaluation = evaluate(
                "value-tier",
                Variables.createVariables()
                        .putValue(SPEND_12_MONTHS.name(), 1000)
                        .putValue(ORDERS_12_MONTHS.name(), 6L));
        assertThat(evaluation.get("tier")).isEqualTo("Platinum");
    }

    // ---------------------------------------------------------------- tier change

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource(textBlock = """
      # previous, new,      change
      Bronze,     Bronze,   SAME
      Bronze,     Silver,   UPGRADE
      Bronze,     Gold,     UPGRADE
      Bronze,     Platinum, UPGRADE
      Silver,     Bronze,   DOWNGRADE
      Silver,     Silver,   SAME
      Silver,     Gold,     UPGRADE
      Silver,     Platinum, UPGRADE
      Gold,       Bronze,   DOWNGRADE
      Gold,       Silver,   DOWNGRADE
      Gold,       Gold,     SAME
      Gold,       Platinum, UPGRADE
      Platinum,   Bronze,   DOWNGRADE
      Platinum,   Silver,   DOWNGRADE
      Platinum,   Gold,     DOWNGRADE
      Platinum,   Platinum, SAME
      """)
    void tierChangeForEveryPairOfTiers(String previous, String next, String change) {
        Evaluation evaluation = evaluate("tier-change", tiers(previous, next));
        assertThat(evaluation.get("change")).isEqualTo(change);
        assertThat(evaluation.rule()).isEqualTo("Rule_" + previous + "To" + next);
    }

    @ParameterizedTest(name = "first tier {0} is NEW, not an upgrade")
    @CsvSource({"Bronze", "Silver", "Gold", "Platinum"})
    void aFirstTierIsNew(String next) {
        Evaluation evaluation = evaluate("tier-change", tiers(null, next));
        assertThat(evaluation.get("change")).isEqualTo("NEW");
        assertThat(evaluation.rule()).isEqualTo("Rule_FirstTier");
    }

    @Test
    void tierChangeAgreesWithTheTierRanksOfTheValueTierTable() {
        Map<String, Integer> rankByTier = new LinkedHashMap<>();
        Stream.of(purchases(0d, 0), purchases(150d, 1), purchases(500d, 3), purchases(1000d, 6))
                .map(features -> evaluate("value-tier", features))
                .forEach(result -> rankByTier.put((String) result.get("tier"), (Integer) result.get("tierRank")));
        assertThat(rankByTier)
                .containsExactly(
                        Map.entry("Bronze", 1), Map.entry("Silver", 2), Map.entry("Gold", 3), Map.entry("Platinum", 4));
        rankByTier.forEach((previous, previousRank) -> rankByTier.forEach((next, nextRank) -> {
            String expected = nextRank > previousRank ? "UPGRADE" : nextRank < previousRank ? "DOWNGRADE" : "SAME";
            assertThat(evaluate("tier-change", tiers(previous, next)).get("change"))
                    .as("%s -> %s", previous, next)
                    .isEqualTo(expected);
        }));
    }

    static VariableMap tiers(String previous, String next) {
        return Variables.createVariables()
                .putValueTyped(PREVIOUS_TIER.name(), Variables.stringValue(previous))
                .putValueTyped(NEW_TIER.name(), Variables.stringValue(next));
    }

    // ---------------------------------------------------------------- windows on days since the last order

    static VariableMap daysSinceLastOrder(Integer days) {
        return Variables.createVariables().putValueTyped(DAYS_SINCE_LAST_ORDER.name(), Variables.integerValue(days));
    }

    @ParameterizedTest(name = "{0} days -> win-back {1} ({2})")
    @CsvSource(textBlock = """
      # days, eligible, rule
      0,      false,    Rule_OutsideWindow
      44,     false,    Rule_OutsideWindow
      45,     false,    Rule_OutsideWindow
      46,     true,     Rule_InWindow
      60,     true,     Rule_InWindow
      90,     true,     Rule_InWindow
      91,     false,    Rule_OutsideWindow
      365,    false,    Rule_OutsideWindow
      ,       false,    Rule_NeverOrdered
      """)
    void winBackWindow(Integer days, boolean eligible, String rule) {
        Evaluation evaluation = evaluate("win-back-window", daysSinceLastOrder(days));
        assertThat(evaluation.get("winBackEligible")).isEqualTo(eligible);
        assertThat(evaluation.rule()).isEqualTo(rule);
    }

    @ParameterizedTest(name = "{0} days -> defecting {1} ({2})")
    @CsvSource(textBlock = """
      # days, defecting, rule
      0,      false,     Rule_NotDefecting
      45,     false,     Rule_NotDefecting
      90,     false,     Rule_NotDefecting
      91,     true,      Rule_Defecting
      200,    true,      Rule_Defecting
      365,    true,      Rule_Defecting
      366,    false,     Rule_NotDefecting
      1000,   false,     Rule_NotDefecting
      ,       false,     Rule_NeverOrdered
      """)
    void defectingBuyer(Integer days, boolean defecting, String rule) {
        Evaluation evaluation = evaluate("defecting-buyer", daysSinceLastOrder(days));
        assertThat(evaluation.get("defecting")).isEqualTo(defecting);
        assertThat(evaluation.rule()).isEqualTo(rule);
    }

    @Test
    void theWinBackAndDefectingWindowsMeetWithoutGapOrOverlapAt90Days() {
        for (int days = 0; days <= 400; days++) {
            boolean winBack = (Boolean)
                    evaluate("win-back-window", daysSinceLastOrder(days)).get("winBackEligible");
            boolean defecting = (Boolean)
                    evaluate("defecting-buyer", daysSinceLastOrder(days)).get("defecting");
            assertThat(winBack).as("win-back at %d days", days).isEqualTo(days > 45 && days <= 90);
            assertThat(defecting).as("defecting at %d days", days).isEqualTo(days > 90 && days <= 365);
        }
    }

    // ---------------------------------------------------------------- best customer

    @ParameterizedTest(name = "recent order {0}, percentile {1} -> {2} ({3})")
    @CsvSource(textBlock = """
      # recent, percentile, best,  rule
      true,     1.0,        true,  Rule_TopQuarter
      true,     0.75,       true,  Rule_TopQuarter
      true,     0.7499,     false, Rule_BelowTopQuarter
      true,     0.0,        false, Rule_BelowTopQuarter
      false,    1.0,        false, Rule_NoRecentOrder
      false,    0.75,       false, Rule_NoRecentOrder
      false,    0.7499,     false, Rule_NoRecentOrder
      true,     ,           false, Rule_NoRecentOrder
      ,         0.9,        false, Rule_NoRecentOrder
      """)
    void bestCustomer(Boolean hasRecentOrder, Double spendPercentile, boolean best, String rule) {
        Evaluation evaluation = evaluate(
                "best-customer",
                Variables.createVariables()
                        .putValueTyped(HAS_RECENT_ORDER.name(), Variables.booleanValue(hasRecentOrder))
                        .putValueTyped(SPEND_PERCENTILE.name(), Variables.doubleValue(spendPercentile)));
        assertThat(evaluation.get("bestCustomer")).isEqualTo(best);
        assertThat(evaluation.rule()).isEqualTo(rule);
    }

    // ---------------------------------------------------------------- best customer, predictive

    @ParameterizedTest(name = "fitted {0}, predicted percentile {1}, recent {2}, spend percentile {3} -> {4} ({5})")
    @CsvSource(textBlock = """
      # fitted, predicted, recent, spend,  best,  rule
      true,     1.0,       false,  ,       true,  Rule_PredictedTopQuarter
      true,     0.75,      true,   0.1,    true,  Rule_PredictedTopQuarter
      true,     0.7499,    true,   1.0,    false, Rule_PredictedBelowTopQuarter
      true,     0.0,       true,   0.9,    false, Rule_PredictedBelowTopQuarter
      true,     ,          true,   1.0,    false, Rule_NoPrediction
      false,    ,          true,   0.75,   true,  Rule_FallbackTopQuarter
      false,    ,          true,   0.7499, false, Rule_Otherwise
      false,    ,          false,  1.0,    false, Rule_Otherwise
      false,    0.9,       false,  ,       false, Rule_Otherwise
      ,         0.9,       true,   0.9,    false, Rule_Otherwise
      """)
    void bestCustomerPredictive(
            Boolean modelFitted,
            Double predictedPercentile,
            Boolean hasRecentOrder,
            Double spendPercentile,
            boolean best,
            String rule) {
        Evaluation evaluation = evaluate(
                "best-customer-predictive",
                Variables.createVariables()
                        .putValueTyped(MODEL_FITTED.name(), Variables.booleanValue(modelFitted))
                        .putValueTyped(PREDICTED_VALUE_PERCENTILE.name(), Variables.doubleValue(predictedPercentile))
                        .putValueTyped(HAS_RECENT_ORDER.name(), Variables.booleanValue(hasRecentOrder))
                        .putValueTyped(SPEND_PERCENTILE.name(), Variables.doubleValue(spendPercentile)));
        assertThat(evaluation.get("bestCustomer")).isEqualTo(best);
        assertThat(evaluation.rule()).isEqualTo(rule);
    }

    // ---------------------------------------------------------------- referral path

    @ParameterizedTest(name = "{0} with {1} successful referrals -> {2} ({3})")
    @CsvSource(textBlock = """
      # activity, referrals, path,              rule
      Active,     5,         REFERRAL_REMINDER, Rule_ActiveAdvocate
      Active,     1,         REFERRAL_REMINDER, Rule_ActiveAdvocate
      Active,     0,         REFERRAL_REMINDER, Rule_ActiveNotYetReferred
      Active,     ,          REFERRAL_REMINDER, Rule_ActiveNotYetReferred
      Dormant,    3,         INCENTIVE_TEST,    Rule_DormantAdvocate
      Dormant,    1,         INCENTIVE_TEST,    Rule_DormantAdvocate
      Dormant,    0,         INCENTIVE_TEST,    Rule_Dormant
      Dormant,    ,          INCENTIVE_TEST,    Rule_Dormant
      ,           ,          VOUCHER,           Rule_NoReferralData
      ,           4,         VOUCHER,           Rule_NoReferralData
      """)
    void referralPath(String activity, Integer successfulReferrals, String path, String rule) {
        Evaluation evaluation = evaluate(
                "referral-path",
                Variables.createVariables()
                        .putValueTyped(REFERRAL_ACTIVITY.name(), Variables.stringValue(activity))
                        .putValueTyped(SUCCESSFUL_REFERRALS.name(), Variables.integerValue(successfulReferrals)));
        assertThat(evaluation.get("referralPath")).isEqualTo(path);
        assertThat(evaluation.rule()).isEqualTo(rule);
    }

    // ---------------------------------------------------------------- channel choice

    @ParameterizedTest(name = "prefers {0}, email consent {1} address {2}, sms consent {3} phone {4} -> {5} ({6})")
    @CsvSource(textBlock = """
      # preferred, emailConsent, hasEmail, smsConsent, hasPhone, channel, rule
      EMAIL,       true,         true,     true,       true,     EMAIL,   Rule_PreferredEmail
      EMAIL,       true,         true,     false,      false,    EMAIL,   Rule_PreferredEmail
      SMS,         true,         true,     true,       true,     SMS,     Rule_PreferredSms
      SMS,         false,        false,    true,       true,     SMS,     Rule_PreferredSms
      ,            true,         true,     true,       true,     EMAIL,   Rule_EmailFallback
      SMS,         true,         true,     false,      true,     EMAIL,   Rule_EmailFallback
      SMS,         true,         true,     true,       false,    EMAIL,   Rule_EmailFallback
      ,            false,        true,     true,       true,     SMS,     Rule_SmsFallback
      ,            true,         false,    true,       true,     SMS,     Rule_SmsFallback
      EMAIL,       false,        true,     true,       true,     SMS,     Rule_SmsFallback
      EMAIL,       true,         false,    true,       true,     SMS,     Rule_SmsFallback
      ,            false,        false,    false,      false,    NONE,    Rule_Unreachable
      ,            true,         false,    false,      true,     NONE,    Rule_Unreachable
      ,            false,        true,     true,       false,    NONE,    Rule_Unreachable
      EMAIL,       false,        true,     false,      true,     NONE,    Rule_Unreachable
      SMS,         false,        true,     false,      true,     NONE,    Rule_Unreachable
      """)
    void channelChoice(
            String preferred,
            boolean emailConsent,
            boolean hasEmail,
            boolean smsConsent,
            boolean hasPhone,
            String channel,
            String rule) {
        Evaluation evaluation =
                evaluate("channel-choice", reachability(preferred, emailConsent, hasEmail, smsConsent, hasPhone));
        assertThat(evaluation.get("channel")).isEqualTo(channel);
        assertThat(evaluation.rule()).isEqualTo(rule);
    }

    @Test
    void channelChoiceForEveryCombinationFollowsPreferenceThenEmailThenSms() {
        for (String preferred : new String[] {"EMAIL", "SMS", null}) {
            for (int bits = 0; bits < 16; bits++) {
                boolean emailConsent = (bits & 1) != 0, hasEmail = (bits & 2) != 0;
                boolean smsConsent = (bits & 4) != 0, hasPhone = (bits & 8) != 0;
                boolean email = emailConsent && hasEmail, sms = smsConsent && hasPhone;
                String expected = "SMS".equals(preferred) && sms ? "SMS" : email ? "EMAIL" : sms ? "SMS" : "NONE";
                assertThat(evaluate(
                                        "channel-choice",
                                        reachability(preferred, emailConsent, hasEmail, smsConsent, hasPhone))
                                .get("channel"))
                        .as(
                                "prefers %s, email consent %s address %s, sms consent %s phone %s",
                                preferred, emailConsent, hasEmail, smsConsent, hasPhone)
                        .isEqualTo(expected);
            }
        }
    }

    @Test
    void channelChoiceTreatsMissingFactsAsNotReachable() {
        Evaluation evaluation = evaluate(
                "channel-choice",
                Variables.createVariables()
                        .putValueTyped(PREFERRED_CHANNEL.name(), Variables.stringValue(null))
                        .putValueTyped(EMAIL_CONSENT.name(), Variables.booleanValue(null))
                        .putValueTyped(HAS_EMAIL.name(), Variables.booleanValue(true))
                        .putValueTyped(SMS_CONSENT.name(), Variables.booleanValue(true))
                        .putValueTyped(HAS_PHONE.name(), Variables.booleanValue(null)));
        assertThat(evaluation.get("channel")).isEqualTo("NONE");
    }

    static VariableMap reachability(
            String preferred, boolean emailConsent, boolean hasEmail, boolean smsConsent, boolean hasPhone) {
        return Variables.createVariables()
                .putValueTyped(PREFERRED_CHANNEL.name(), Variables.stringValue(preferred))
                .putValueTyped(EMAIL_CONSENT.name(), Variables.booleanValue(emailConsent))
                .putValueTyped(HAS_EMAIL.name(), Variables.booleanValue(hasEmail))
                .putValueTyped(SMS_CONSENT.name(), Variables.booleanValue(smsConsent))
                .putValueTyped(HAS_PHONE.name(), Variables.booleanValue(hasPhone));
    }

    // ---------------------------------------------------------------- churn risk

    static VariableMap churn(Integer days, Double probabilityAlive, Double medianDays) {
        return Variables.createVariables()
                .putValueTyped(DAYS_SINCE_LAST_ORDER.name(), Variables.integerValue(days))
                .putValueTyped(PROBABILITY_ALIVE.name(), Variables.doubleValue(probabilityAlive))
                .putValueTyped(MEDIAN_INTERPURCHASE_DAYS.name(), Variables.doubleValue(medianDays));
    }

    @ParameterizedTest(name = "{0} days since the last order, P(alive) {1}, median interval {2} -> {3} ({4})")
    @CsvSource(textBlock = """
      # days, pAlive, median, risk,  rule
      ,       ,       ,       false, Rule_NeverOrdered
      ,       0.1,    30,     false, Rule_NeverOrdered
      10,     0.29,   30,     true,  Rule_UnlikelyAlive
      10,     0.2999, ,       true,  Rule_UnlikelyAlive
      10,     0.3,    30,     false, Rule_Otherwise
      400,    ,       ,       false, Rule_NoRepeatPurchase
      400,    1.0,    ,       false, Rule_NoRepeatPurchase
      61,     ,       30,     true,  Rule_Overdue
      61,     0.9,    30,     true,  Rule_Overdue
      60,     ,       30,     false, Rule_Otherwise
      31,     0.5,    15.5,   false, Rule_Otherwise
      32,     0.5,    15.5,   true,  Rule_Overdue
      0,      ,       1,      false, Rule_Otherwise
      """)
    void churnRisk(Integer days, Double probabilityAlive, Double medianDays, boolean risk, String rule) {
        Evaluation evaluation = evaluate("churn-risk", churn(days, probabilityAlive, medianDays));
        assertThat(evaluation.get("churnRisk")).isEqualTo(risk);
        assertThat(evaluation.rule()).isEqualTo(rule);
    }

    // ---------------------------------------------------------------- leave reason

    static VariableMap leaveReason(String reason) {
        return Variables.createVariables()
                .putValueTyped(
                        io.loyalflow.journey.JourneyVariables.LEAVE_REASON.name(), Variables.stringValue(reason));
    }

    @ParameterizedTest(name = "{0} -> controllable {1} ({2})")
    @CsvSource(textBlock = """
      # reason,  controllable, rule
      PRICE,     true,         Rule_Price
      DELIVERY,  true,         Rule_Delivery
      QUALITY,   true,         Rule_Quality
      SERVICE,   true,         Rule_Service
      SELECTION, true,         Rule_Selection
      MOVED,     false,        Rule_Moved
      NO_NEED,   false,        Rule_NoNeed
      OTHER,     false,        Rule_Other
      WEATHER,   false,        Rule_Unknown
      ,          false,        Rule_Unknown
      """)
    void leaveReasonTable(String reason, boolean controllable, String rule) {
        Evaluation evaluation = evaluate("leave-reason", leaveReason(reason));
        assertThat(evaluation.get("controllable")).isEqualTo(controllable);
        assertThat(evaluation.rule()).isEqualTo(rule);
    }

    // ---------------------------------------------------------------- every rule has a test

    /** One example per rule of every table: it must match exactly that rule. */
    static Stream<Object[]> witnesses() {
        return Stream.of(
                new Object[] {"value-tier", "Rule_Platinum", purchases(1000d, 6)},
                new Object[] {"value-tier", "Rule_Gold", purchases(500d, 3)},
                new Object[] {"value-tier", "Rule_SilverBySpend", purchases(150d, 1)},
                new Object[] {"value-tier", "Rule_SilverByOrders", purchases(10d, 2)},
                new Object[] {"value-tier", "Rule_Bronze", purchases(0d, 0)},
                new Object[] {"tier-change", "Rule_FirstTier", tiers(null, "Silver")},
                new Object[] {"win-back-window", "Rule_InWindow", daysSinceLastOrder(46)},
                new Object[] {"win-back-window", "Rule_NeverOrdered", daysSinceLastOrder(null)},
                new Object[] {"win-back-window", "Rule_OutsideWindow", daysSinceLastOrder(45)},
                new Object[] {"defecting-buyer", "Rule_Defecting", daysSinceLastOrder(91)},
                new Object[] {"defecting-buyer", "Rule_NeverOrdered", daysSinceLastOrder(null)},
                new Object[] {"defecting-buyer", "Rule_NotDefecting", daysSinceLastOrder(366)},
                new Object[] {
                    "best-customer",
                    "Rule_TopQuarter",
                    Variables.createVariables()
                            .putValue(HAS_RECENT_ORDER.name(), true)
                            .putValue(SPEND_PERCENTILE.name(), 0.75)
                },
                new Object[] {
                    "best-customer",
                    "Rule_BelowTopQuarter",
                    Variables.createVariables()
                            .putValue(HAS_RECENT_ORDER.name(), true)
                            .putValue(SPEND_PERCENTILE.name(), 0.7499)
                },
                new Object[] {
                    "best-customer",
                    "Rule_NoRecentOrder",
                    Variables.createVariables()
                            .putValue(HAS_RECENT_ORDER.name(), false)
                            .putValue(SPEND_PERCENTILE.name(), 0.9)
                },
                new Object[] {"best-customer-predictive", "Rule_PredictedTopQuarter", predicted(true, 0.75, false, null)
                },
                new Object[] {
                    "best-customer-predictive", "Rule_PredictedBelowTopQuarter", predicted(true, 0.7, true, 0.9)
                },
                new Object[] {"best-customer-predictive", "Rule_NoPrediction", predicted(true, null, true, 0.9)},
                new Object[] {"best-customer-predictive", "Rule_FallbackTopQuarter", predicted(false, null, true, 0.8)},
                new Object[] {"best-customer-predictive", "Rule_Otherwise", predicted(false, null, true, 0.5)},
                new Object[] {
                    "referral-path",
                    "Rule_ActiveAdvocate",
                    Variables.createVariables()
                            .putValue(REFERRAL_ACTIVITY.name(), "Active")
                            .putValue(SUCCESSFUL_REFERRALS.name(), 2)
                },
                new Object[] {
                    "referral-path",
                    "Rule_ActiveNotYetReferred",
                    Variables.createVariables()
                            .putValue(REFERRAL_ACTIVITY.name(), "Active")
                            .putValue(SUCCESSFUL_REFERRALS.name(), 0)
                },
                new Object[] {
                    "referral-path",
                    "Rule_DormantAdvocate",
                    Variables.createVariables()
                            .putValue(REFERRAL_ACTIVITY.name(), "Dormant")
                            .putValue(SUCCESSFUL_REFERRALS.name(), 2)
                },
                new Object[] {
                    "referral-path",
                    "Rule_Dormant",
                    Variables.createVariables()
                            .putValue(REFERRAL_ACTIVITY.name(), "Dormant")
                            .putValue(SUCCESSFUL_REFERRALS.name(), 0)
                },
                new Object[] {
                    "referral-path",
                    "Rule_NoReferralData",
                    Variables.createVariables()
                            .putValue(REFERRAL_ACTIVITY.name(), null)
                            .putValue(SUCCESSFUL_REFERRALS.name(), null)
                },
                new Object[] {"channel-choice", "Rule_PreferredEmail", reachability("EMAIL", true, true, true, true)},
                new Object[] {"channel-choice", "Rule_PreferredSms", reachability("SMS", true, true, true, true)},
                new Object[] {"channel-choice", "Rule_EmailFallback", reachability(null, true, true, true, true)},
                new Object[] {"channel-choice", "Rule_SmsFallback", reachability(null, false, true, true, true)},
                new Object[] {"channel-choice", "Rule_Unreachable", reachability(null, false, false, false, false)},
                new Object[] {"welcome-advice", "Rule_Shoes", firstOrderCategory("shoes")},
                new Object[] {"welcome-advice", "Rule_Electronics", firstOrderCategory("electronics")},
                new Object[] {"welcome-advice", "Rule_Beauty", firstOrderCategory("beauty")},
                new Object[] {"welcome-advice", "Rule_Books", firstOrderCategory("books")},
                new Object[] {"welcome-advice", "Rule_Home", firstOrderCategory("home")},
                new Object[] {"welcome-advice", "Rule_Sports", firstOrderCategory("sports")},
                new Object[] {"welcome-advice", "Rule_Default", firstOrderCategory("")},
                new Object[] {"welcome-advice", "Rule_Default", firstOrderCategory("garden")},
                new Object[] {"welcome-advice", "Rule_Default", firstOrderCategory(null)},
                new Object[] {"churn-risk", "Rule_NeverOrdered", churn(null, 0.1, 10d)},
                new Object[] {"churn-risk", "Rule_UnlikelyAlive", churn(5, 0.1, 10d)},
                new Object[] {"churn-risk", "Rule_NoRepeatPurchase", churn(500, null, null)},
                new Object[] {"churn-risk", "Rule_Overdue", churn(21, null, 10d)},
                new Object[] {"churn-risk", "Rule_Otherwise", churn(20, 0.8, 10d)},
                new Object[] {"leave-reason", "Rule_Price", leaveReason("PRICE")},
                new Object[] {"leave-reason", "Rule_Delivery", leaveReason("DELIVERY")},
                new Object[] {"leave-reason", "Rule_Quality", leaveReason("QUALITY")},
                new Object[] {"leave-reason", "Rule_Service", leaveReason("SERVICE")},
                new Object[] {"leave-reason", "Rule_Selection", leaveReason("SELECTION")},
                new Object[] {"leave-reason", "Rule_Moved", leaveReason("MOVED")},
                new Object[] {"leave-reason", "Rule_NoNeed", leaveReason("NO_NEED")},
                new Object[] {"leave-reason", "Rule_Other", leaveReason("OTHER")},
                new Object[] {"leave-reason", "Rule_Unknown", leaveReason(null)});
    }

    private static VariableMap firstOrderCategory(String category) {
        return Variables.createVariables()
                .putValueTyped(
                        io.loyalflow.journey.JourneyVariables.FIRST_ORDER_CATEGORY.name(),
                        Variables.stringValue(category));
    }

    private static VariableMap predicted(boolean fitted, Double predictedPercentile, boolean recent, Double spend) {
        return Variables.createVariables()
                .putValue(MODEL_FITTED.name(), fitted)
                .putValue(PREDICTED_VALUE_PERCENTILE.name(), predictedPercentile)
                .putValue(HAS_RECENT_ORDER.name(), recent)
                .putValue(SPEND_PERCENTILE.name(), spend);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("witnesses")
    void eachWitnessMatchesItsRule(String decisionKey, String rule, VariableMap variables) {
        assertThat(evaluate(decisionKey, variables).rule()).isEqualTo(rule);
    }

    @Test
    void everyRuleOfEveryTableIsCoveredByAWitness() {
        Map<String, Set<String>> witnessed = witnesses()
                .collect(Collectors.groupingBy(
                        w -> (String) w[0],
                        Collectors.mapping(w -> (String) w[1], Collectors.toCollection(TreeSet::new))));
        // the 16 pairs of tier-change are each evaluated by tierChangeForEveryPairOfTiers
        for (String previous : List.of("Bronze", "Silver", "Gold", "Platinum")) {
            for (String next : List.of("Bronze", "Silver", "Gold", "Platinum")) {
                String rule = "Rule_" + previous + "To" + next;
                assertThat(evaluate("tier-change", tiers(previous, next)).rule())
                        .isEqualTo(rule);
                witnessed.get("tier-change").add(rule);
            }
        }
        for (String key : DECISION_KEYS) {
            Set<String> rules = model(key).getModelElementsByType(Rule.class).stream()
                    .map(Rule::getId)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(witnessed.get(key)).as("rules of %s with a test", key).isEqualTo(rules);
        }
    }

    // ---------------------------------------------------------------- the files as analysts and the engine need them

    static DmnModelInstance model(String key) {
        return Dmn.readModelFromFile(DMN_FOLDER.resolve(key + ".dmn").toFile());
    }

    @Test
    void theFolderHoldsTheSegmentTables() throws Exception {
        try (Stream<Path> files = Files.list(DMN_FOLDER)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsAll(DECISION_KEYS.stream().map(key -> key + ".dmn").toList());
        }
    }

    /** Every table in the folder, also those added later: the service deploys them all. */
    @ParameterizedTest
    @MethodSource("tablesInTheFolder")
    void eachFileIsOneAnnotatedDecisionTableWithHistoryTimeToLive(String key) {
        DmnModelInstance model = model(key);
        Definitions definitions = model.getDefinitions();
        assertThat(definitions.getDomElement().getNamespaceURI())
                .isEqualTo("https://www.omg.org/spec/DMN/20191111/MODEL/");

        List<Decision> decisionsInFile = List.copyOf(model.getModelElementsByType(Decision.class));
        assertThat(decisionsInFile).as("decisions in %s.dmn", key).hasSize(1);
        Decision decision = decisionsInFile.get(0);
        assertThat(decision.getId()).as("decision id = file name").isEqualTo(key);
        assertThat(decision.getName()).isNotBlank();
        assertThat(decision.getCamundaHistoryTimeToLiveString())
                .as("historyTimeToLive of %s", key)
                .isNotBlank();

        DecisionTable table = (DecisionTable) decision.getExpression();
        assertThat(table.getId()).startsWith("DecisionTable_");
        for (Input input : table.getInputs()) {
            assertThat(input.getId()).startsWith("InputClause_");
            assertThat(input.getLabel()).as("label of %s", input.getId()).isNotBlank();
            assertThat(input.getInputExpression().getTypeRef())
                    .as("typeRef of %s", input.getId())
                    .isIn("string", "integer", "double", "boolean");
        }
        for (Output output : table.getOutputs()) {
            assertThat(output.getId()).startsWith("OutputClause_");
            assertThat(output.getLabel()).as("label of %s", output.getId()).isNotBlank();
            assertThat(output.getName()).as("name of %s", output.getId()).isNotBlank();
            assertThat(output.getTypeRef())
                    .as("typeRef of %s", output.getId())
                    .isIn("string", "integer", "double", "boolean");
        }
        assertThat(table.getRules()).isNotEmpty().allSatisfy(rule -> {
            assertThat(rule.getId()).startsWith("Rule_");
            assertThat(rule.getDescription())
                    .as("annotation of %s in %s", rule.getId(), key)
                    .isNotNull();
            assertThat(rule.getDescription().getTextContent())
                    .as("annotation of %s in %s", rule.getId(), key)
                    .isNotBlank();
        });
    }

    static List<String> tablesInTheFolder() throws Exception {
        try (Stream<Path> files = Files.list(DMN_FOLDER)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.endsWith(".dmn"))
                    .map(name -> name.substring(0, name.length() - ".dmn".length()))
                    .sorted()
                    .toList();
        }
    }
}
