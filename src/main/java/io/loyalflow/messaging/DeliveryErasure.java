package io.loyalflow.messaging;

import io.loyalflow.customer.CustomerErased;
import java.util.List;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Right to erasure for messaging: the customer's deliveries keep their counts, statuses and dates
 * (reports stay true) but lose the address and the rendered content; stored webhook payloads that
 * carry one of those addresses are replaced by a marker. Suppressions stay: they protect the
 * address from ever being mailed again, which is what an erasure asks for. The customer's frequency-cap
 * lock rows (keys and a time, no personal data) are deleted.
 */
@Component
class DeliveryErasure {

    private final JdbcTemplate jdbc;

    DeliveryErasure(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    void erase(CustomerErased erased) {
        List<String> addresses = jdbc.queryForList(
                "select distinct address from delivery where customer_key = ? and address is not null",
                String.class,
                erased.customerKey());
        for (String address : addresses) {
            jdbc.update(
                    "update provider_event set payload = '{\"erased\":true}' where payload like ?",
                    "%\"" + address.replace("%", "\\%").replace("_", "\\_") + "\"%");
        }
        jdbc.update("update delivery set address = null, content = null where customer_key = ?", erased.customerKey());
        // keys and a time only, but nothing will be sent to an erased customer again
        jdbc.update("delete from send_cap_lock where customer_key = ?", erased.customerKey());
    }
}
