/**
 * Campaigns: their settings and revisions, activation checks, test sends of a campaign's steps, and
 * the {@code campaign} bean through which journeys read their settings.
 */
package io.loyalflow.campaign;
