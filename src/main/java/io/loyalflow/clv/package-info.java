/**
 * The customer-value model: BG/NBD and Gamma-Gamma fits over the order history, their predictions per
 * customer, and the nightly refit.
 */
package io.loyalflow.clv;
