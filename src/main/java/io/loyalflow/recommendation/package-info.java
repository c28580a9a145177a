/**
 * Product recommendations for a customer and the step that puts them into a journey.
 */
package io.loyalflow.recommendation;
