package io.loyalflow.demo;

import io.loyalflow.order.ImportReport;
import io.loyalflow.order.OrderImporter;
import java.io.IOException;
import java.time.Duration;
import org.springframework.context.ApplicationContext;

/** Loads the CDNOW demo data from tests of other packages, as the service does at start with the demo on. */
public final class CdnowDemoAccess {

    private final OrderImporter importer;

    public CdnowDemoAccess(OrderImporter importer) {
        this.importer = importer;
    }

    public ImportReport load() throws IOException {
        return new CdnowDemoLoader(importer).load();
    }

    /** Waits for the demo load a service started with the demo on runs in the background; answers its shift in days. */
    public static long awaitLoaded(ApplicationContext context, Duration timeout) throws Exception {
        return context.getBean(DemoSetup.class).awaitLoaded(timeout).shiftDays();
    }
}
