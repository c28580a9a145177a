/**
 * Customers: profiles, consents, referral statistics, erasure and contact rules; the customer view
 * other modules read.
 */
package io.loyalflow.customer;
