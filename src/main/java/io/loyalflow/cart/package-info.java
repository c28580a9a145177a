/**
 * Carts: the shops' carts (items, customer, status) kept up to date from one update per click, closed by
 * orders, and signalled to journeys through a durable, coalescing outbox on the cart row.
 */
package io.loyalflow.cart;
