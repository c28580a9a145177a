package io.loyalflow.demo;

import io.loyalflow.platform.db.Timestamps;
import java.time.Instant;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;

/** The demo's one bookkeeping row ({@code demo_state}): the time shift, the load's progress, the simulator's totals. */
@Repository
class DemoState {

    static final String KEY = "cdnow";

    enum State {
        LOADING,
        READY,
        FAILED
    }

    record Row(
            long shiftDays,
            int customers,
            State state,
            String step,
            int orders,
            int contacts,
            int emailConsented,
            int smsConsented,
            Instant startedAt,
            Instant readyAt,
            String error,
            long simOpens,
            long simClicks,
            long simBounces,
            long simOrders,
            long simCarts,
            long simNewcomers) {}

    private final JdbcTemplate jdbc;

    DemoState(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Row> find() {
        return jdbc
                .query(
                        "select * from demo_state where demo_key = ?",
                        (rs, n) -> new Row(
                                rs.getLong("shift_days"),
                                rs.getInt("customers"),
                                State.valueOf(rs.getString("state")),
                                rs.getString("step"),
                                rs.getInt("orders"),
                                rs.getInt("contacts"),
                                rs.getInt("email_consented"),
                                rs.getInt("sms_consented"),
                                Timestamps.instant(rs, "started_at"),
                                Timestamps.instant(rs, "ready_at"),
                                rs.getString("error"),
                                rs.getLong("sim_opens"),
                                rs.getLong("sim_clicks"),
                                rs.getLong("sim_bounces"),
                                rs.getLong("sim_orders"),
                                rs.getLong("sim_carts"),
                                rs.getLong("sim_newcomers")),
                        KEY)
                .stream()
                .findFirst();
    }

    /** The first load's row: its shift and size stay for good; a second caller finds the first one's. */
    Row begin(long shiftDays, int customers, Instant now) {
        try {
            jdbc.update(
                    "insert into demo_state (demo_key, shift_days, customers, state, step, started_at) "
                            + "values (?, ?, ?, 'LOADING', 'orders', ?)",
                    KEY,
                    shiftDays,
                    customers,
                    Timestamps.utc(now));
        } catch (DuplicateKeyException e) {
            // another start wrote it first: its shift holds
        }
        return find().orElseThrow();
    }

    void restart(Instant now) {
        jdbc.update(
                "update demo_state set state = 'LOADING', error = null, started_at = ? where demo_key = ?",
                Timestamps.utc(now),
                KEY);
    }

    void step(String step) {
        jdbc.update("update demo_state set step = ? where demo_key = ?", step, KEY);
    }

    void orders(int orders) {
        jdbc.update("update demo_state set orders = ? where demo_key = ?", orders, KEY);
    }

    void contacts(int contacts, int emailConsented, int smsConsented) {
        jdbc.update(
                "update demo_state set contacts = ?, email_consented = ?, sms_consented = ? where demo_key = ?",
                contacts,
                emailConsented,
                smsConsented,
                KEY);
    }

    void ready(Instant now) {
        jdbc.update(
                "update demo_state set state = 'READY', step = null, ready_at = ? where demo_key = ?",
                Timestamps.utc(now),
                KEY);
    }

    void failed(String error) {
        jdbc.update(
                "update demo_state set state = 'FAILED', error = ? where demo_key = ?",
                error.length() > 1000 ? error.substring(0, 1000) : error,
                KEY);
    }

    void simulated(long opens, long clicks, long bounces, long orders) {
        jdbc.update(
                "update demo_state set sim_opens = sim_opens + ?, sim_clicks = sim_clicks + ?, "
                        + "sim_bounces = sim_bounces + ?, sim_orders = sim_orders + ? where demo_key = ?",
                opens,
                clicks,
                bounces,
                orders,
                KEY);
    }

    /** The demo shop's carts begun and newcomers registered by the simulator. */
    void shopped(long carts, long newcomers) {
        jdbc.update(
                "update demo_state set sim_carts = sim_carts + ?, sim_newcomers = sim_newcomers + ? where demo_key = ?",
                carts,
                newcomers,
                KEY);
    }
}
