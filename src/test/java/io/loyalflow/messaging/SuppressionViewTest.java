package io.loyalflow.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.customer.Channel;
import io.loyalflow.testsupport.DatabaseTest;
import io.loyalflow.testsupport.ViewColumns;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/** The messaging module's view of suppressed addresses (V24), which segment estimates read. */
class SuppressionViewTest extends DatabaseTest {

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Suppressions suppressions;

    @Test
    void theViewShowsSuppressedAddressesInTheirComparedFormAndWhyUntilLifted() {
        String email = "Views-" + UUID.randomUUID().toString().substring(0, 8) + "@Example.com";
        suppressions.suppress(Channel.EMAIL, email, SuppressionReason.HARD_BOUNCE, "test");

        assertThat(ViewColumns.of(jdbc, "v_suppression")).containsExactly("channel", "address", "reason");
        assertThat(jdbc.query(
                        "select channel, reason from v_suppression where address = ?",
                        (rs, row) -> rs.getString(1) + " " + rs.getString(2),
                        email.toLowerCase(java.util.Locale.ROOT)))
                .containsExactly("email HARD_BOUNCE");

        suppressions.lift(Channel.EMAIL, email, java.util.List.of(SuppressionReason.HARD_BOUNCE));
        assertThat(jdbc.queryForList(
                        "select reason from v_suppression where address = ?",
                        String.class,
                        email.toLowerCase(java.util.Locale.ROOT)))
                .isEmpty();
    }
}
