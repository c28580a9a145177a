/**
 * Messages: the send steps, send gate, outbox, deferred sends, suppressions, unsubscribe links,
 * deliveries, test sends, and the SendGrid and Twilio providers and webhooks.
 */
package io.loyalflow.messaging;
