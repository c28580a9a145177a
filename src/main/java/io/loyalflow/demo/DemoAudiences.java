package io.loyalflow.demo;

import io.loyalflow.audience.AdAudiences;
import io.loyalflow.segment.SegmentDecisions;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * The demo's two ad audiences, one per source: the churn risks (the built-in segment's members) and the buyers the
 * cross-sell campaign's journeys add on entry and remove on exit. Locally the log provider only logs what it would
 * send to Meta, so the dashboard shows members wanted, sent and held back for want of ads consent without any
 * account at Meta. An audience that exists already is left as it is.
 */
@Component
class DemoAudiences {

    static final String CHURN_RISK = "demo-churn-risk";
    static final String CROSS_SELL_BUYERS = "demo-cross-sell-buyers";
    static final List<String> IDS = List.of(CHURN_RISK, CROSS_SELL_BUYERS);

    private static final String CREATED_BY = "demo";

    private final AdAudiences audiences;

    DemoAudiences(AdAudiences audiences) {
        this.audiences = audiences;
    }

    /** Creates the audiences missing; answers the ids of those created now. */
    List<String> ensure() {
        boolean churn = audiences.ensure(CHURN_RISK, "Churn risks (demo)", SegmentDecisions.CHURN_RISK, CREATED_BY);
        boolean buyers = audiences.ensure(CROSS_SELL_BUYERS, "Cross-sell offers (demo)", null, CREATED_BY);
        return IDS.stream().filter(id -> id.equals(CHURN_RISK) ? churn : buyers).toList();
    }
}
