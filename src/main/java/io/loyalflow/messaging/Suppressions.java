package io.loyalflow.messaging;

import io.loyalflow.customer.Channel;
import io.loyalflow.platform.db.Database;
import io.loyalflow.platform.db.Timestamps;
import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The global suppression list: addresses no campaign sends to, whatever the customer's consent says.
 * One entry per address; the first reason recorded stays until the entry is lifted.
 */
@Service
public class Suppressions {

    private final JdbcClient jdbc;
    private final Database database;
    private final Clock clock;

    Suppressions(JdbcClient jdbc, Database database, Clock clock) {
        this.jdbc = jdbc;
        this.database = database;
        this.clock = clock;
    }

    /** Adds the address; true when it was not suppressed before. Idempotent. */
    public boolean suppress(Channel channel, String address, SuppressionReason reason, String source) {
        String normalised = Addresses.normalise(channel, address);
        if (normalised == null || normalised.isEmpty()) {
            return false;
        }
        Object[] params = {
            channel.key(),
            normalised,
            reason.name(),
            DeliveryRepository.truncate(source, 100),
            Timestamps.utc(clock.instant())
        };
        if (database.isPostgres()) {
            return jdbc.sql(
                                    "insert into suppression (channel, address, reason, source, created_at) values (?, ?, ?, ?, ?) "
                                            + "on conflict do nothing")
                            .params(params)
                            .update()
                    == 1;
        }
        try {
            return jdbc.sql("insert into suppression (channel, address, reason, source, created_at) "
                                    + "select ?, ?, ?, ?, ? from (values (1)) v where not exists "
                                    + "(select 1 from suppression where channel = ? and address = ?)")
                            .params(params[0], params[1], params[2], params[3], params[4], channel.key(), normalised)
                            .update()
                    == 1;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    /** Lifts the address's suppression if it is for one of the given reasons; true when lifted. */
    public boolean lift(Channel channel, String address, Collection<SuppressionReason> reasons) {
        String normalised = Addresses.normalise(channel, address);
        if (normalised == null || reasons.isEmpty()) {
            return false;
        }
        return jdbc.sql(
                                "delete from suppression where channel = :channel and address = :address and reason in (:reasons)")
                        .param("channel", channel.key())
                        .param("address", normalised)
                        .param("reasons", reasons.stream().map(Enum::name).toList())
                        .update()
                == 1;
    }

    public Optional<SuppressionReason> of(Channel channel, String address) {
        return jdbc.sql("select reason from suppression where channel = ? and address = ?")
                .params(channel.key(), Addresses.normalise(channel, address))
                .query(String.class)
                .optional()
                .map(SuppressionReason::valueOf);
    }
}
