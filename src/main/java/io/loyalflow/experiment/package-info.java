/**
 * A/B splits: arms, their weights, sticky assignments, and the arms the gateway after a split routes.
 */
package io.loyalflow.experiment;
