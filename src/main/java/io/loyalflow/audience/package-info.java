/**
 * Ad audiences: customers synced, as SHA-256 hashes of their normalised e-mail and phone, to Meta Custom
 * Audiences; the providers (Meta through the Marketing API SDK, or a log for local use) and their settings.
 */
package io.loyalflow.audience;
