package io.loyalflow.segment;

import java.util.List;

/**
 * What depends on a defined segment, asked before it is deleted. Features that take a segment as
 * input (campaign audiences) implement it, so the segment module needs no knowledge of them.
 */
public interface SegmentUsers {

    /** Descriptions of what still uses the segment, such as {@code campaign win-back-spring (ACTIVE)}; empty if nothing. */
    List<String> usersOf(String segmentId);
}
