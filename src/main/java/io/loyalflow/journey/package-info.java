/**
 * Journeys: campaign entry and re-entry, triggers, exits, order and referral goals, customer events,
 * erasure of journeys, and the consistency check between enrollments and process instances.
 */
package io.loyalflow.journey;
