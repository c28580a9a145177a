package io.loyalflow.segment;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param recentOrderWindow an order within this window makes a customer a recent buyer (best
 *     customers are ranked among recent buyers)
 * @param staleRefreshAfter a refresh marked running for longer than this is taken as dead (its node
 *     stopped) and another may start
 */
@ConfigurationProperties("loyalflow.segments")
public record SegmentProperties(Duration recentOrderWindow, Duration staleRefreshAfter) {

  public SegmentProperties {
    recentOrderWindow = recentOrderWindow == null ? Duration.ofDays(90) : recentOrderWindow;
    staleRefreshAfter = staleRefreshAfter == null ? Duration.ofHours(1) : staleRefreshAfter;
  }
}
