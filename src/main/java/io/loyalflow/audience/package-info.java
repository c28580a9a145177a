/**
 * Ad audiences: customers kept in step with a Meta Custom Audience, from a segment's members or from journeys (a
 * campaign's setting {@code adAudience} and the "Sync to an ad audience" step). Contact data leave only normalised
 * and SHA-256 hashed, only for customers with {@code ads} consent, in batches of at most 10,000, through the
 * audience-sync process (retries, incidents in Cockpit).
 */
package io.loyalflow.audience;
