package io.loyalflow.segment;

import static io.loyalflow.platform.engine.ProcessVariable.integerVariable;
import static io.loyalflow.platform.engine.ProcessVariable.longVariable;
import static io.loyalflow.platform.engine.ProcessVariable.stringVariable;

import io.loyalflow.platform.engine.ProcessVariable;

/** The variables the segment-refresh process's refresh step writes (Cockpit shows them; the gateway reads the outcome). */
public final class SegmentVariables {

  /** REFRESHED, or ALREADY_RUNNING (a refresh under way elsewhere). */
  public static final ProcessVariable<String> REFRESH_OUTCOME = stringVariable("refreshOutcome");
  public static final ProcessVariable<String> REFRESH_ID = stringVariable("refreshId");
  public static final ProcessVariable<Long> CUSTOMERS = longVariable("customers");
  /** Memberships entered and left, over all built-in segments. */
  public static final ProcessVariable<Integer> ENTERED = integerVariable("entered");
  public static final ProcessVariable<Integer> LEFT = integerVariable("left");
  public static final ProcessVariable<Integer> TIER_CHANGES = integerVariable("tierChanges");
  public static final ProcessVariable<Long> DURATION_MILLIS = longVariable("durationMillis");

  private SegmentVariables() {
  }
}
