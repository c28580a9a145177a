package io.loyalflow.demo;

import io.loyalflow.customer.CustomerOrigin;
import io.loyalflow.order.ImportReport;
import io.loyalflow.order.OrderImporter;
import io.loyalflow.order.OrderIntake;
import java.io.IOException;

/**
 * Loads the CDNOW purchase log (23,570 real customers, 69,659 orders from 1997–98) through the same
 * import path as shops' files, optionally moved in time and cut to its first customers. Loading it again
 * with the same shift changes nothing.
 */
class CdnowDemoLoader {

    static final String RESOURCE = CdnowLog.RESOURCE;

    private final OrderImporter importer;

    CdnowDemoLoader(OrderImporter importer) {
        this.importer = importer;
    }

    /** The log as it is: its own dates, every customer. */
    ImportReport load() throws IOException {
        return load(0, 0);
    }

    /**
     * @param shiftDays days added to every date
     * @param customers the log's first customers to load; 0: all
     */
    ImportReport load(long shiftDays, int customers) throws IOException {
        try (var source = new CdnowOrderSource(CdnowLog.open(), shiftDays, customers)) {
            // history into a database with no journey waiting for these orders: published, each chunk would
            // re-tier its customers one by one; the first segment refresh tiers them all in one pass instead.
            return importer.run(
                    source,
                    "cdnow",
                    "demo",
                    CustomerOrigin.DEMO,
                    CdnowOrderSource.ZONE.getId(),
                    OrderIntake.Publication.UNPUBLISHED);
        }
    }
}
