package io.loyalflow.platform.hostile;

import static java.util.Map.entry;

import io.loyalflow.testsupport.TestUsers;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Who may call each operation of the API: the README's group table and SecurityConfiguration,
 * written down once more on purpose, so that a change to either shows up as a failing case. Every
 * operation of the OpenAPI document must be listed here (and nothing else): a new endpoint fails the
 * suite until someone decides who may call it.
 */
final class ApiAccess {

    /** Who calls: nobody, a wrong password, or a user of each of Loyalflow's groups, of none, or an administrator. */
    enum Caller {
        ANONYMOUS(null),
        WRONG_PASSWORD(TestUsers.LOCKOUT_PROBE),
        ADMIN(TestUsers.ADMIN),
        SERVICE(TestUsers.SERVICE),
        ANALYST(TestUsers.ANALYST),
        OPERATOR(TestUsers.OPERATOR),
        TEAM(TestUsers.TEAM),
        MONITORING(TestUsers.MONITORING),
        NO_GROUP(TestUsers.NO_GROUP);

        final TestUsers user;

        Caller(TestUsers user) {
            this.user = user;
        }

        boolean authenticates() {
            return this != ANONYMOUS && this != WRONG_PASSWORD;
        }
    }

    /** Customers' personal data and the writes of other services. */
    private static final Set<Caller> SERVICES = EnumSet.of(Caller.SERVICE, Caller.ADMIN);
    /** Reporting and campaign configuration: services, analysts. */
    private static final Set<Caller> SERVICES_AND_ANALYSTS = EnumSet.of(Caller.SERVICE, Caller.ANALYST, Caller.ADMIN);
    /** The dashboard's figures (campaigns, their reports and experiments): analysts and up, operators too. */
    private static final Set<Caller> DASHBOARD_READERS =
            EnumSet.of(Caller.SERVICE, Caller.ANALYST, Caller.OPERATOR, Caller.ADMIN);
    /** Repairing journeys. */
    private static final Set<Caller> OPERATORS = EnumSet.of(Caller.OPERATOR, Caller.ADMIN);
    /** Users' verified test addresses: what analysts' test sends may go to. */
    private static final Set<Caller> ADMINISTRATORS = EnumSet.of(Caller.ADMIN);

    /** Operation ("METHOD /path" as in the OpenAPI document) to the callers allowed past the security checks. */
    static final Map<String, Set<Caller>> ALLOWED = Map.ofEntries(
            // campaigns: analysts configure them, services too; only services start a named customer's journey
            entry("GET /api/campaigns", DASHBOARD_READERS),
            // the demo's state: counts only
            entry("GET /api/demo", SERVICES_AND_ANALYSTS),
            entry("POST /api/campaigns", SERVICES_AND_ANALYSTS),
            entry("GET /api/campaigns/{id}", SERVICES_AND_ANALYSTS),
            entry("PUT /api/campaigns/{id}", SERVICES_AND_ANALYSTS),
            entry("POST /api/campaigns/{id}/activate", SERVICES_AND_ANALYSTS),
            entry("POST /api/campaigns/{id}/pause", SERVICES_AND_ANALYSTS),
            entry("POST /api/campaigns/{id}/archive", SERVICES_AND_ANALYSTS),
            entry("POST /api/campaigns/{id}/test-send", SERVICES_AND_ANALYSTS),
            entry("POST /api/campaigns/{id}/enrollments", SERVICES),
            // experiments: counts and rates, which operators read too; undoing a winner changes the campaign
            entry("GET /api/campaigns/{id}/experiments", DASHBOARD_READERS),
            entry("POST /api/campaigns/{id}/experiments/{experimentKey}/winner/undo", SERVICES_AND_ANALYSTS),
            // the campaign report: counts, rates and revenue, no personal data
            entry("GET /api/campaigns/{id}/report", DASHBOARD_READERS),
            // moving running journeys to another template version is the analysts'; operators, who watch the
            // engine's batches, read how far a migration has come
            entry("POST /api/campaigns/{id}/migrations", EnumSet.of(Caller.ANALYST, Caller.ADMIN)),
            entry("GET /api/campaigns/{id}/migrations", EnumSet.of(Caller.ANALYST, Caller.OPERATOR, Caller.ADMIN)),
            entry(
                    "GET /api/campaigns/{id}/migrations/{batchId}",
                    EnumSet.of(Caller.ANALYST, Caller.OPERATOR, Caller.ADMIN)),
            // customers' personal data: profiles, orders, imports, what was sent to them
            entry("PUT /api/customers/{customerId}", SERVICES),
            entry("GET /api/customers/{customerId}", SERVICES),
            entry("DELETE /api/customers/{customerId}", SERVICES),
            entry("PUT /api/customers/{customerId}/referral", SERVICES),
            entry("POST /api/customers/{customerId}/events", SERVICES),
            entry("GET /api/customers/{customerId}/journeys", SERVICES),
            entry("GET /api/customers/{customerId}/deliveries", SERVICES),
            entry("GET /api/customers/{customerId}/value", SERVICES),
            entry("GET /api/customers/{customerId}/recommendations", SERVICES),
            entry("POST /api/orders", SERVICES),
            entry("GET /api/orders/{orderId}", SERVICES),
            entry("POST /api/imports/orders", SERVICES),
            // carts name customers and what they were about to buy
            entry("PUT /api/carts/{cartId}", SERVICES),
            entry("GET /api/carts/{cartId}", SERVICES),
            entry("POST /api/carts/updates", SERVICES),
            entry("POST /api/carts/{cartId}/cleared", SERVICES),
            entry("POST /api/carts/{cartId}/checkout-started", SERVICES),
            entry("POST /api/carts/{cartId}/checkout-completed", SERVICES),
            entry("GET /api/deliveries", SERVICES),
            entry("GET /api/deliveries/{deliveryId}", SERVICES),
            entry("GET /api/provider-events", SERVICES),
            // test sends go to the caller's own address
            entry("POST /api/messaging/test-sends", SERVICES_AND_ANALYSTS),
            // segments and customer value: reporting
            entry("GET /api/segments", SERVICES_AND_ANALYSTS),
            entry("POST /api/segments", SERVICES_AND_ANALYSTS),
            entry("POST /api/segments/estimate", SERVICES_AND_ANALYSTS),
            entry("POST /api/segments/refresh", SERVICES_AND_ANALYSTS),
            entry("POST /api/segments/{segmentId}/refresh", SERVICES_AND_ANALYSTS),
            entry("DELETE /api/segments/{segmentId}", SERVICES_AND_ANALYSTS),
            entry("GET /api/segments/{segmentId}/members", SERVICES_AND_ANALYSTS),
            entry("GET /api/segment-events", SERVICES_AND_ANALYSTS),
            entry("POST /api/models/clv/fit", SERVICES_AND_ANALYSTS),
            entry("GET /api/models/clv/fits", SERVICES_AND_ANALYSTS),
            entry("GET /api/models/clv/fits/current", SERVICES_AND_ANALYSTS),
            entry("GET /api/models/clv/fits/{version}", SERVICES_AND_ANALYSTS),
            // the recommendation model: products, no people; consumable categories are the analysts' to set
            entry("GET /api/products/{sku}/recommendations", DASHBOARD_READERS),
            entry("GET /api/recommendations/model", DASHBOARD_READERS),
            entry("GET /api/recommendations/categories/{category}", DASHBOARD_READERS),
            entry("PUT /api/recommendations/categories/{category}", EnumSet.of(Caller.ANALYST, Caller.ADMIN)),
            // ad audiences: their status is counts; which customers go to which audience is the analysts' choice,
            // resuming one (after Meta flagged it) the administrators'
            entry("GET /api/audiences", DASHBOARD_READERS),
            entry("GET /api/audiences/{id}", DASHBOARD_READERS),
            entry("POST /api/audiences", EnumSet.of(Caller.ANALYST, Caller.ADMIN)),
            entry("POST /api/audiences/{id}/replace", EnumSet.of(Caller.ANALYST, Caller.ADMIN)),
            entry("POST /api/audiences/{id}/pause", EnumSet.of(Caller.ANALYST, Caller.ADMIN)),
            entry("POST /api/audiences/{id}/resume", ADMINISTRATORS),
            // repairs of journeys are the operators'
            entry("POST /api/journeys/consistency-check", OPERATORS),
            entry("GET /api/users/{userId}/phone", ADMINISTRATORS),
            entry("PUT /api/users/{userId}/phone", ADMINISTRATORS),
            entry("DELETE /api/users/{userId}/phone", ADMINISTRATORS));

    private ApiAccess() {}
}
