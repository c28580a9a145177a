/**
 * Segments: DMN segment rules, refreshes, memberships and their events, condition trees, estimates and
 * re-tiering.
 */
package io.loyalflow.segment;
