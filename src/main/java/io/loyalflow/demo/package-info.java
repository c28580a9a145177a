/**
 * The CDNOW demo: loads the public purchase data set into customers and orders for a local try-out.
 */
package io.loyalflow.demo;
