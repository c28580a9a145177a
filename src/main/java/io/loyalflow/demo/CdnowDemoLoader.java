package io.loyalflow.demo;

import io.loyalflow.customer.CustomerOrigin;
import io.loyalflow.order.ImportReport;
import io.loyalflow.order.OrderImporter;
import io.loyalflow.order.OrderIntake;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Loads the CDNOW purchase log (23,570 real customers, 69,659 orders from 1997–98) at start when
 * {@code loyalflow.demo.cdnow=true}, through the same import path as shops' files. Loading it
 * again changes nothing.
 */
@Component
@ConditionalOnProperty(name = "loyalflow.demo.cdnow", havingValue = "true")
class CdnowDemoLoader implements ApplicationRunner {

    static final String RESOURCE = "demo/CDNOW_master.txt";
    private static final Logger log = LoggerFactory.getLogger(CdnowDemoLoader.class);

    private final OrderImporter importer;

    CdnowDemoLoader(OrderImporter importer) {
        this.importer = importer;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        ImportReport report = load();
        log.info(
                "CDNOW demo data: {} orders read, {} new, {} already loaded, {} rejected, {} customers created, in {} ms",
                report.orders(),
                report.created(),
                report.unchanged(),
                report.rejected(),
                report.customersCreated(),
                report.durationMillis());
    }

    ImportReport load() throws IOException {
        var reader = new BufferedReader(
                new InputStreamReader(new ClassPathResource(RESOURCE).getInputStream(), StandardCharsets.US_ASCII),
                64 * 1024);
        try (var source = new CdnowOrderSource(reader)) {
            // 1997-98 history into an empty database: no journey can be waiting for these orders, and the first segment
            // refresh tiers all 23,570 customers in one pass instead of one re-tiering each.
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
