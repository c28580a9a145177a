package io.loyalflow.platform.engine;

/**
 * A BPMN message a shipped process catches, by the name code correlates it with (such as
 * {@code Msg_OrderPlaced}). Each process's contract class lists them in an enum; a test checks every one is a
 * {@code bpmn:message} of its model.
 */
public interface ModelMessage {

    String messageName();
}
