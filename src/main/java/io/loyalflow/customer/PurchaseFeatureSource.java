package io.loyalflow.customer;

import java.time.ZoneId;

/** Provides a customer's purchase features (implemented where orders live). */
public interface PurchaseFeatureSource {

    PurchaseFeatures featuresOf(long customerKey, ZoneId zone);
}
