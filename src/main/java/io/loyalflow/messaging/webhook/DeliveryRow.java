package io.loyalflow.messaging.webhook;

import io.loyalflow.customer.Channel;
import io.loyalflow.messaging.DeliveryStatus;
import java.time.Instant;

/** The delivery an event belongs to, locked for this batch, with what the batch changes. */
final class DeliveryRow {
    final String id;
    DeliveryStatus status;
    final String processInstanceId;
    final Channel channel;
    final String address;
    boolean opened;
    boolean clicked;
    final boolean test;
    boolean changed;
    int opens;
    int machineOpens;
    int clicks;
    Instant firstOpened;
    Instant firstClicked;

    DeliveryRow(
            String id,
            DeliveryStatus status,
            String processInstanceId,
            Channel channel,
            String address,
            boolean opened,
            boolean clicked,
            boolean test) {
        this.id = id;
        this.status = status;
        this.processInstanceId = processInstanceId;
        this.channel = channel;
        this.address = address;
        this.opened = opened;
        this.clicked = clicked;
        this.test = test;
    }

    /** Moves the delivery forward only: a late "processed" never undoes "delivered". True when it moved. */
    static boolean advance(DeliveryRow delivery, DeliveryStatus next) {
        if (DeliveryStatus.AFTER_SEND.contains(delivery.status) && next.rank() > delivery.status.rank()) {
            delivery.status = next;
            delivery.changed = true;
            return true;
        }
        return false;
    }
}
