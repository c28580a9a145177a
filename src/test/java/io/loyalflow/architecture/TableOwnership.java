package io.loyalflow.architecture;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which module owns which of Loyalflow's tables, and the views through which each lets other modules read
 * them. Only the owner names its tables in SQL; another module reads them through the owner's API or one of
 * its views. docs/architecture.md ("Data") shows the same owners.
 */
final class TableOwnership {

    record Owned(Set<String> tables, Set<String> views) {}

    static final Map<String, Owned> BY_MODULE = byModule();

    private static Map<String, Owned> byModule() {
        Map<String, Owned> modules = new LinkedHashMap<>();
        modules.put(
                "customer",
                new Owned(
                        Set.of(
                                "customer",
                                "customer_consent",
                                "customer_consent_event",
                                "customer_referral",
                                "erased_customer_id"),
                        Set.of("v_customer", "v_customer_contact", "v_customer_consent", "v_customer_referral")));
        modules.put(
                "order",
                new Owned(
                        Set.of("customer_order", "customer_order_item"),
                        Set.of("v_customer_order", "v_customer_order_item")));
        modules.put("cart", new Owned(Set.of("cart"), Set.of()));
        modules.put(
                "messaging",
                new Owned(
                        Set.of("delivery", "delivery_event", "suppression", "provider_event", "send_cap_lock"),
                        Set.of("v_suppression", "v_delivery", "v_delivery_event")));
        modules.put(
                "segment",
                new Owned(
                        Set.of(
                                "customer_tier",
                                "customer_features",
                                "segment_definition",
                                "segment_membership",
                                "segment_event",
                                "segment_refresh"),
                        Set.of("v_segment_event", "v_segment_member")));
        modules.put("audience", new Owned(Set.of("ad_audience", "ad_audience_member", "ad_audience_error"), Set.of()));
        modules.put("clv", new Owned(Set.of("clv_fit", "customer_value", "clv_fit_claim"), Set.of("v_customer_value")));
        modules.put("experiment", new Owned(Set.of("experiment_assignment", "experiment"), Set.of()));
        modules.put("campaign", new Owned(Set.of("campaign", "campaign_revision", "campaign_migration"), Set.of()));
        modules.put(
                "journey",
                new Owned(
                        Set.of(
                                "campaign_participant",
                                "campaign_enrollment",
                                "campaign_trigger",
                                "campaign_entry_run",
                                "customer_event",
                                "journey_receipt"),
                        Set.of("v_campaign_enrollment")));
        modules.put("platform", new Owned(Set.of("event_publication"), Set.of()));
        modules.put(
                "recommendation",
                new Owned(
                        Set.of(
                                "reco_model",
                                "reco_refresh_claim",
                                "reco_product",
                                "reco_pair",
                                "reco_related_category",
                                "reco_category_timing",
                                "reco_category_setting",
                                "reco_work_basket",
                                "reco_work_item",
                                "reco_work_pair",
                                "reco_work_basket_pair",
                                "reco_work_category_event",
                                "reco_work_customer_category",
                                "reco_work_category"),
                        Set.of()));
        modules.put("demo", new Owned(Set.of("demo_state"), Set.of()));
        // the campaign report reads the owners' views and the engine's history (ACT_HI_*, read-only, the engine's)
        modules.put(
                "report",
                new Owned(
                        Set.of(
                                "report_rollup_run",
                                "report_enrollment_day",
                                "report_funnel_day",
                                "report_message_day",
                                "report_unsubscribe_day",
                                "report_send_open_day",
                                "report_conversion_day"),
                        Set.of()));
        return Map.copyOf(modules);
    }

    /** The module owning a table or view, if it is one of Loyalflow's. */
    static Optional<String> ownerOf(String tableOrView) {
        return BY_MODULE.entrySet().stream()
                .filter(e -> e.getValue().tables().contains(tableOrView)
                        || e.getValue().views().contains(tableOrView))
                .map(Map.Entry::getKey)
                .findFirst();
    }

    static boolean isView(String name) {
        return BY_MODULE.values().stream().anyMatch(owned -> owned.views().contains(name));
    }

    private TableOwnership() {}
}
