package io.loyalflow.order;

import java.time.Duration;
import java.util.Currency;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param currency the shop's reporting currency: every order is in it, so spend features add up
 * @param importChunkSize orders stored per transaction in a bulk import
 * @param importErrorLimit errors listed in an import's answer (all are counted)
 */
@ConfigurationProperties("loyalflow.orders")
record OrderProperties(Currency currency, Integer importChunkSize, Integer importErrorLimit, Duration futureTolerance) {

    public OrderProperties {
        currency = currency == null ? Currency.getInstance("USD") : currency;
        importChunkSize = importChunkSize == null ? 1000 : importChunkSize;
        importErrorLimit = importErrorLimit == null ? 100 : importErrorLimit;
        futureTolerance = futureTolerance == null ? Duration.ofMinutes(5) : futureTolerance;
    }
}
