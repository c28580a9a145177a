package io.loyalflow.segment;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param recentOrderWindow an order within this window makes a customer a recent buyer (best
 *     customers are ranked among recent buyers)
 * @param staleRefreshAfter a refresh marked running for longer than this is taken as dead (its node
 *     stopped) and another may start
 * @param analystAttributes names of customer attributes that hold no personal data, so analysts may
 *     compare them in conditions; every other attribute may be tested by analysts only for presence
 *     (see {@link PersonalConditions})
 */
@ConfigurationProperties("loyalflow.segments")
record SegmentProperties(Duration recentOrderWindow, Duration staleRefreshAfter, Set<String> analystAttributes) {

    public SegmentProperties {
        recentOrderWindow = recentOrderWindow == null ? Duration.ofDays(90) : recentOrderWindow;
        staleRefreshAfter = staleRefreshAfter == null ? Duration.ofHours(1) : staleRefreshAfter;
        analystAttributes = analystAttributes == null
                ? Set.of()
                : analystAttributes.stream()
                        .map(String::trim)
                        .filter(name -> !name.isEmpty())
                        .collect(Collectors.toUnmodifiableSet());
    }
}
