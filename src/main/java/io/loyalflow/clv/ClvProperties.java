package io.loyalflow.clv;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param minimumCustomers below this many customers with an order up to the calibration end, a fit is
 *     not attempted (recorded as INSUFFICIENT_DATA; the predictions in place stay)
 * @param minimumRepeatBuyers likewise for customers with a repeat purchase: the Gamma-Gamma spend
 *     model is fitted on them alone, and BG/NBD learns the dropout process from them
 * @param horizonWeeks the prediction horizon: expected purchases and value over this many weeks
 * @param staleFitAfter a fit marked running for longer than this is taken as dead (its node stopped)
 */
@ConfigurationProperties("loyalflow.clv")
record ClvProperties(
        Integer minimumCustomers, Integer minimumRepeatBuyers, Double horizonWeeks, Duration staleFitAfter) {

    public ClvProperties {
        minimumCustomers = minimumCustomers == null ? 500 : minimumCustomers;
        minimumRepeatBuyers = minimumRepeatBuyers == null ? 100 : minimumRepeatBuyers;
        horizonWeeks = horizonWeeks == null ? ClvScores.TWELVE_MONTHS_IN_WEEKS : horizonWeeks;
        staleFitAfter = staleFitAfter == null ? Duration.ofHours(1) : staleFitAfter;
    }
}
