package io.loyalflow.demo;

import io.loyalflow.campaign.Campaigns;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Where the demo stands: counts only, no personal data, so analysts may read it. */
@RestController
@Tag(name = "Demo", description = "The CDNOW demo: its load and its engagement simulator")
class DemoController {

    record Consented(int email, int sms) {}

    record CampaignState(String id, String template, String state) {}

    /**
     * What the simulator posted so far: engagement and orders, carts the demo shop began, new customers with a
     * first order.
     */
    record SimulatorView(
            boolean enabled, long opens, long clicks, long bounces, long orders, long carts, long newcomers) {}

    record DemoView(
            boolean enabled,
            String state,
            int customers,
            int orders,
            int contacts,
            Consented consented,
            List<CampaignState> campaigns,
            long shiftDays,
            SimulatorView simulator,
            String step,
            Instant startedAt,
            Instant readyAt) {}

    private final DemoProperties properties;
    private final DemoState state;
    private final Campaigns campaigns;
    private final ObjectProvider<DemoSimulator> simulator;

    DemoController(
            DemoProperties properties, DemoState state, Campaigns campaigns, ObjectProvider<DemoSimulator> simulator) {
        this.properties = properties;
        this.state = state;
        this.campaigns = campaigns;
        this.simulator = simulator;
    }

    @Operation(
            summary = "The CDNOW demo: state (OFF, LOADING, READY, FAILED), counts, its campaigns and the simulator's "
                    + "totals; no personal data")
    @GetMapping("/api/demo")
    DemoView demo() {
        boolean simulating = simulator.getIfAvailable() != null;
        DemoState.Row row = state.find().orElse(null);
        List<CampaignState> demoCampaigns = DemoCampaigns.IDS.stream()
                .flatMap(id -> campaigns.find(id).stream())
                .map(c -> new CampaignState(c.id(), c.template(), c.state().name()))
                .toList();
        if (row == null) {
            return new DemoView(
                    properties.cdnow(),
                    properties.cdnow() ? "LOADING" : "OFF",
                    0,
                    0,
                    0,
                    new Consented(0, 0),
                    demoCampaigns,
                    0,
                    new SimulatorView(simulating, 0, 0, 0, 0, 0, 0),
                    null,
                    null,
                    null);
        }
        return new DemoView(
                properties.cdnow(),
                properties.cdnow() ? row.state().name() : "OFF",
                row.customers(),
                row.orders(),
                row.contacts(),
                new Consented(row.emailConsented(), row.smsConsented()),
                demoCampaigns,
                row.shiftDays(),
                new SimulatorView(
                        simulating,
                        row.simOpens(),
                        row.simClicks(),
                        row.simBounces(),
                        row.simOrders(),
                        row.simCarts(),
                        row.simNewcomers()),
                row.step(),
                row.startedAt(),
                row.readyAt());
    }
}
