/**
 * The CDNOW demo: loads the public purchase data set, moved in time, with generated fictional contacts,
 * activates one campaign per template, and simulates engagement (signed webhooks, orders) for a local
 * try-out; its own bookkeeping table {@code demo_state}.
 */
package io.loyalflow.demo;
