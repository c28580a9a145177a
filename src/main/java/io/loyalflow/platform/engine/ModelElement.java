package io.loyalflow.platform.engine;

/**
 * An element of a shipped BPMN model that code or tests name: its id in the model (type-prefixed, such as
 * {@code Task_SendOfferEmail}). Each process's contract class lists them in an enum; a test checks every one
 * against its model.
 */
public interface ModelElement {

    String id();
}
