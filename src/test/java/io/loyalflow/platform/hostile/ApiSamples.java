package io.loyalflow.platform.hostile;

import static java.util.Map.entry;

import java.util.List;
import java.util.Map;

/**
 * A valid request for each operation that takes a JSON body or query parameters: the suite checks
 * that each is accepted, then spoils one field at a time, so that every refusal is about that field.
 * {@value #UNIQUE} is replaced by a fresh value at every send, so that a request that stored
 * something shows in the row counts (a new customer, order, campaign or segment each time).
 */
final class ApiSamples {

    static final String UNIQUE = "@unique@";

    /** A customer that exists, with addresses and consent. */
    static final String CUSTOMER = "hostile-customer";
    /** A DRAFT win-back campaign with every kind of setting. */
    static final String DRAFT_CAMPAIGN = "hostile-draft";
    /** An ACTIVE campaign that services start journeys of, on {@link #JOURNEY_TEMPLATE}. */
    static final String ACTIVE_CAMPAIGN = "hostile-active";
    /**
     * A process with no steps but a long wait, deployed by the suite in two versions (the second one's wait is
     * longer): journeys start on the later one, and a migration's sample moves them back to version 1.
     */
    static final String JOURNEY_TEMPLATE = "hostile-input-journey";

    /** What must exist before the samples are sent: method, path and body, sent as an administrator. */
    record Fixture(String method, String path, String body) {}

    /**
     * A valid request.
     *
     * @param pathParameters values of the path's parameters
     * @param query query parameters
     * @param body the JSON body, or null
     * @param customerFirst a customer id to create (as an administrator) before the request, or null
     */
    record Sample(Map<String, String> pathParameters, Map<String, String> query, String body, String customerFirst) {

        static Sample body(String body) {
            return new Sample(Map.of(), Map.of(), body, null);
        }

        static Sample body(Map<String, String> pathParameters, String body) {
            return new Sample(pathParameters, Map.of(), body, null);
        }

        static Sample query(Map<String, String> pathParameters, Map<String, String> query) {
            return new Sample(pathParameters, query, null, null);
        }
    }

    private static final String WIN_BACK_SETTINGS = """
      {"audience": {"segment": "win-back"},
       "trigger": {"type": "RECURRING", "every": "P1D"},
       "sender": {"email": "winback@shop.example", "name": "Win-back team"},
       "messages": {
         "Task_SendOfferEmail": {"templateId": "d-0123456789abcdef0123456789abcdef",
                                 "templateData": {"code": "WELCOME10", "name": "{{firstName|friend}}"}},
         "Task_SendOfferSms": {"smsText": "Your code WELCOME10, {{firstName|friend}}"}},
       "waits": {"orderWait": "P14D", "reminderWait": "P7D"},
       "options": {"secondReminder": false}}""";

    static final List<Fixture> FIXTURES = List.of(
            new Fixture("PUT", "/api/customers/" + CUSTOMER, """
          {"email": "hostile-customer@example.com", "phone": "+12125550123", "firstName": "Hana",
           "lastName": "Stile", "timeZone": "America/New_York",
           "consents": {"email": {"status": "OPTED_IN", "source": "checkout"},
                        "sms": {"status": "OPTED_IN", "source": "checkout"}}}"""),
            new Fixture("POST", "/api/campaigns", """
          {"id": "%s", "name": "Hostile input draft", "template": "win-back", "settings": %s}""".formatted(DRAFT_CAMPAIGN, WIN_BACK_SETTINGS)),
            new Fixture("POST", "/api/campaigns", """
          {"id": "%s", "name": "Hostile input journeys", "template": "%s",
           "settings": {"trigger": {"type": "API_ONLY"}, "reentry": {"policy": "AFTER_EXIT"}}}""".formatted(ACTIVE_CAMPAIGN, JOURNEY_TEMPLATE)),
            new Fixture("POST", "/api/campaigns/" + ACTIVE_CAMPAIGN + "/activate", null));

    /** Operation key ("METHOD /path") to its valid requests; a field is spoilt in the first one that has it. */
    static final Map<String, List<Sample>> SAMPLES = Map.ofEntries(
            entry("POST /api/campaigns", List.of(Sample.body("""
          {"id": "hostile-@unique@", "name": "Hostile @unique@", "template": "win-back", "settings": %s}""".formatted(WIN_BACK_SETTINGS)))),
            entry("PUT /api/campaigns/{id}", List.of(Sample.body(Map.of("id", DRAFT_CAMPAIGN), """
          {"id": "%s", "name": "Hostile @unique@", "template": "win-back", "settings": %s}""".formatted(
                            DRAFT_CAMPAIGN, WIN_BACK_SETTINGS)))),
            entry("POST /api/campaigns/{id}/test-send", List.of(Sample.body(Map.of("id", DRAFT_CAMPAIGN), """
          {"email": "tester@example.com", "phone": "+12125550188", "customerId": "%s", "revision": 1,
           "steps": ["Task_SendOfferEmail"]}""".formatted(
                            CUSTOMER)))),
            // a dry run moving the active campaign's journeys (on the template's later version) back to version 1
            entry(
                    "POST /api/campaigns/{id}/migrations",
                    List.of(Sample.body(Map.of("id", ACTIVE_CAMPAIGN), """
          {"targetVersion": 1, "template": "%s", "dryRun": true, "updateTimers": false}""".formatted(JOURNEY_TEMPLATE)))),
            entry(
                    "POST /api/campaigns/{id}/enrollments",
                    List.of(new Sample(Map.of("id", ACTIVE_CAMPAIGN), Map.of(), """
          {"customerId": "hostile-@unique@", "idempotencyKey": "hostile-@unique@"}""", "hostile-@unique@"))),
            entry(
                    "PUT /api/customers/{customerId}",
                    List.of(Sample.body(Map.of("customerId", "hostile-@unique@"), """
          {"email": "ann@example.com", "phone": "+33 6 12 34 56 78", "firstName": "Ann", "lastName": "Lee",
           "locale": "fr-FR", "timeZone": "Europe/Paris", "attributes": {"vip": "yes"},
           "consents": {"email": {"status": "OPTED_IN", "source": "checkout", "statedAt": "2025-11-20T18:30:00Z"},
                        "sms": {"status": "OPTED_OUT", "source": "pos", "statedAt": "2025-11-20T18:30:00Z"},
                        "ads": {"status": "OPTED_IN", "source": "checkout", "statedAt": "2025-11-20T18:30:00Z"}}}"""))),
            entry(
                    "PUT /api/customers/{customerId}/referral",
                    List.of(Sample.body(Map.of("customerId", "hostile-@unique@"), """
          {"activity": "Active", "successfulReferrals": 2, "shareUrl": "https://shop.example/r/abc",
           "extendedRevenue": 120.5, "statedAt": "2025-11-20T18:30:00Z"}"""))),
            entry("POST /api/customers/{customerId}/events", List.of(Sample.body(Map.of("customerId", CUSTOMER), """
          {"eventId": "hostile-@unique@", "type": "SurveyAnswered", "occurredAt": "2025-11-20T18:30:00Z",
           "data": {"score": 5, "comment": "Fine"}}"""))),
            entry("POST /api/orders", List.of(Sample.body("""
          {"orderId": "hostile-@unique@", "customerId": "%s", "placedAt": "2025-11-20T18:30:00+01:00",
           "amount": 59.90, "currency": "USD",
           "items": [{"sku": "SHOE-38", "quantity": 1, "unitPrice": 59.90, "category": "shoes"}]}""".formatted(CUSTOMER)))),
            entry("PUT /api/carts/{cartId}", List.of(Sample.body(Map.of("cartId", "hostile-@unique@"), """
          {"customerId": "hostile-@unique@", "currency": "EUR", "updatedAt": "2025-11-20T18:30:00+01:00",
           "cartUrl": "https://shop.example/cart/abc",
           "items": [{"sku": "SHOE-38", "name": "Trail shoe", "quantity": 1, "unitPrice": 59.90,
                      "category": "shoes", "productUrl": "https://shop.example/p/shoe-38",
                      "imageUrl": "https://cdn.shop.example/shoe-38.jpg"}]}"""))),
            entry("POST /api/carts/updates", List.of(Sample.body("""
          {"updates": [{"cartId": "hostile-@unique@", "customerId": "hostile-@unique@", "currency": "EUR",
           "updatedAt": "2025-11-20T18:30:00+01:00", "cartUrl": "https://shop.example/cart/abc",
           "items": [{"sku": "SHOE-38", "name": "Trail shoe", "quantity": 1, "unitPrice": 59.90,
                      "category": "shoes", "productUrl": "https://shop.example/p/shoe-38",
                      "imageUrl": "https://cdn.shop.example/shoe-38.jpg"}]},
           {"cartId": "hostile-@unique@-2", "currency": "EUR", "updatedAt": "2025-11-20T18:31:00Z", "items": []}]}"""))),
            entry("POST /api/carts/{cartId}/cleared", List.of(Sample.body(Map.of("cartId", "hostile-@unique@"), """
          {"at": "2025-11-20T18:30:00Z"}"""))),
            entry(
                    "POST /api/carts/{cartId}/checkout-started",
                    List.of(Sample.body(Map.of("cartId", "hostile-@unique@"), """
          {"at": "2025-11-20T18:30:00Z"}"""))),
            entry(
                    "POST /api/carts/{cartId}/checkout-completed",
                    List.of(Sample.body(Map.of("cartId", "hostile-@unique@"), """
          {"at": "2025-11-20T18:30:00Z", "orderId": "hostile-@unique@"}"""))),
            entry("POST /api/messaging/test-sends", List.of(Sample.body("""
              {"channel": "email", "to": "tester@example.com", "templateId": "d-0123456789abcdef0123456789abcdef",
               "templateData": {"code": "WELCOME10"}, "category": "test", "sampleCustomerId": "%s"}""".formatted(CUSTOMER)), Sample.body("""
              {"channel": "sms", "to": "+12125550188", "smsText": "Your code WELCOME10"}"""))),
            entry("PUT /api/users/{userId}/phone", List.of(Sample.body(Map.of("userId", "prometheus"), """
          {"phone": "+12125550177"}"""))),
            entry("POST /api/segments", List.of(Sample.body("""
              {"id": "hostile-@unique@", "name": "Hostile @unique@",
               "conditions": {"field": "emailConsent", "op": "eq", "value": true}}"""), Sample.body("""
              {"id": "hostile-@unique@", "name": "Hostile @unique@", "decision": "best-customer"}"""))),
            entry("POST /api/segments/estimate", List.of(Sample.body("""
              {"conditions": {"field": "emailConsent", "op": "eq", "value": true}, "segment": "win-back"}"""), Sample.body("""
              {"decision": "best-customer"}"""))),
            entry("POST /api/models/clv/fit", List.of(Sample.body("""
          {"calibrationEnd": "2025-11-30"}"""))),
            entry("POST /api/audiences", List.of(Sample.body("""
          {"id": "hostile-@unique@", "name": "Hostile @unique@", "segment": "win-back"}"""), Sample.body("""
          {"id": "hostile-@unique@", "name": "Hostile @unique@", "metaAudienceId": "23851234567890"}"""))),
            entry(
                    "PUT /api/recommendations/categories/{category}",
                    List.of(Sample.body(Map.of("category", "hostile-coffee"), """
              {"consumable": true}"""))),
            // query parameters
            entry(
                    "GET /api/campaigns/{id}/report",
                    List.of(Sample.query(
                            Map.of("id", ACTIVE_CAMPAIGN),
                            Map.of(
                                    "from",
                                    "2025-11-01",
                                    "to",
                                    "2025-12-01T00:00:00Z",
                                    "templateVersion",
                                    "1",
                                    "format",
                                    "json")))),
            entry(
                    "GET /api/segments/{segmentId}/members",
                    List.of(Sample.query(Map.of("segmentId", "win-back"), Map.of("after", "a", "limit", "10")))),
            entry(
                    "GET /api/segment-events",
                    List.of(Sample.query(
                            Map.of(),
                            Map.of("after", "0", "kind", "SEGMENT_ENTERED", "customerId", CUSTOMER, "limit", "10")))),
            entry(
                    "GET /api/deliveries",
                    List.of(Sample.query(
                            Map.of(),
                            Map.of(
                                    "campaign",
                                    DRAFT_CAMPAIGN,
                                    "status",
                                    "LOGGED",
                                    "channel",
                                    "email",
                                    "before",
                                    "9000000000",
                                    "limit",
                                    "10")))),
            entry(
                    "GET /api/customers/{customerId}/deliveries",
                    List.of(Sample.query(
                            Map.of("customerId", CUSTOMER), Map.of("before", "9000000000", "limit", "10")))),
            entry(
                    "GET /api/provider-events",
                    List.of(Sample.query(
                            Map.of(), Map.of("outcome", "APPLIED", "before", "9000000000", "limit", "10")))),
            entry(
                    "GET /api/customers/{customerId}/recommendations",
                    List.of(Sample.query(Map.of("customerId", CUSTOMER), Map.of("count", "5")))),
            entry(
                    "GET /api/products/{sku}/recommendations",
                    List.of(Sample.query(Map.of("sku", "SKU-1"), Map.of("kind", "UPSELL")))),
            entry("POST /api/journeys/consistency-check", List.of(Sample.query(Map.of(), Map.of("repair", "false")))));

    private ApiSamples() {}
}
