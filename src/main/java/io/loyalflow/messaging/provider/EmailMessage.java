package io.loyalflow.messaging.provider;

import java.util.Map;

/**
 * One e-mail to send through a dynamic template.
 *
 * @param deliveryId Loyalflow's own message id; travels as a custom arg so webhook events find their delivery
 * @param to the recipient's address
 * @param toName the recipient's name, or null
 * @param fromEmail the sender's address (verified with the provider)
 * @param fromName the sender's display name, or null
 * @param templateId the provider's dynamic template id ({@code d-...})
 * @param templateData per-recipient dynamic template data
 * @param category the campaign the message belongs to (SendGrid category), or null
 * @param customArgs further custom args (process instance id, ...); {@code loyalflow_delivery_id} is added from deliveryId
 * @param unsubscribeUrl Loyalflow's signed one-click unsubscribe link (RFC 8058 headers), or null
 * @param unsubscribeGroupId the provider's unsubscribe group, or null
 */
public record EmailMessage(
        String deliveryId,
        String to,
        String toName,
        String fromEmail,
        String fromName,
        String templateId,
        Map<String, Object> templateData,
        String category,
        Map<String, String> customArgs,
        String unsubscribeUrl,
        Integer unsubscribeGroupId) {

    /** The custom arg that carries {@link #deliveryId()} to the provider and back in its events. */
    public static final String DELIVERY_ID_ARG = "loyalflow_delivery_id";

    public static final String PROCESS_INSTANCE_ARG = "loyalflow_process_instance_id";
}
