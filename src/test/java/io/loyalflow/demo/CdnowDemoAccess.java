package io.loyalflow.demo;

import io.loyalflow.order.ImportReport;
import io.loyalflow.order.OrderImporter;
import java.io.IOException;

/** Loads the CDNOW demo data from tests of other packages, as the service does at start with the demo on. */
public final class CdnowDemoAccess {

    private final OrderImporter importer;

    public CdnowDemoAccess(OrderImporter importer) {
        this.importer = importer;
    }

    public ImportReport load() throws IOException {
        return new CdnowDemoLoader(importer).load();
    }
}
