/**
 * Orders: intake, bulk imports and the purchase features computed from them.
 */
package io.loyalflow.order;
