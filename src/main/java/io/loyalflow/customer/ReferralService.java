package io.loyalflow.customer;

import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.problem.Violations;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Referral program statistics (Mention Me's "Extended Customer Revenue" activity) per customer: the
 * latest statement wins, an older one delivered late is answered but not applied. The program may
 * report about a customer before the shop does: such a customer is created bare, as orders do.
 */
@Service
public class ReferralService {

    static final int MAX_SHARE_URL = 2048;
    static final int REVENUE_SCALE = 4;
    /** numeric(19, 4): 15 digits before the decimal point. */
    static final BigDecimal MAX_REVENUE = BigDecimal.TEN.pow(15);

    private final CustomerRepository repository;
    private final CustomerService customers;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    ReferralService(
            CustomerRepository repository,
            CustomerService customers,
            TransactionTemplate transactions,
            Clock clock,
            ApplicationEventPublisher events) {
        this.repository = repository;
        this.customers = customers;
        this.transactions = transactions;
        this.clock = clock;
        this.events = events;
    }

    /**
     * The answer to a referral statement.
     *
     * @param applied false when the statement was older than the one on record and changed nothing
     * @param referral the statistics on record after the statement
     */
    public record ReferralAnswer(String customerId, boolean applied, CustomerView.ReferralView referral) {}

    /**
     * The answer, and whether the customer had no referral statistics before (201).
     *
     * @param referralMade set when the statement raised the successful referrals on record
     */
    public record Stated(boolean created, ReferralAnswer answer, ReferralMade referralMade) {

        Stated(boolean created, ReferralAnswer answer) {
            this(created, answer, null);
        }
    }

    /** Creates or replaces a customer's referral statistics, unless more recent ones are on record. */
    public Stated state(String customerId, ReferralRequest request) {
        CustomerService.requireValidId(customerId);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Violations violations = new Violations();
        Referral referral = validate(request, now, violations);
        violations.throwIfAny();

        Stated stated = CustomerService.retryingConcurrentCreation(() -> transactions.execute(tx -> {
            long key = repository.lockKey(customerId).orElseGet(() -> createBare(customerId));
            Optional<CustomerView.ReferralView> stored = repository.referralOf(key);
            if (stored.isPresent() && referral.statedAt().isBefore(stored.get().statedAt())) {
                return new Stated(false, new ReferralAnswer(customerId, false, stored.get()));
            }
            if (stored.isPresent() && referral.sameAs(stored.get())) {
                return new Stated(false, new ReferralAnswer(customerId, true, stored.get()));
            }
            repository.saveReferral(key, referral, stored.isPresent(), now);
            int before =
                    stored.map(CustomerView.ReferralView::successfulReferrals).orElse(0);
            ReferralMade made = referral.successfulReferrals() > before
                    ? new ReferralMade(key, before, referral.successfulReferrals(), referral.statedAt(), now)
                    : null;
            if (made != null) {
                // in the storing transaction: journeys hear of stored statistics only, and of every stored raise
                events.publishEvent(made);
            }
            return new Stated(
                    stored.isEmpty(),
                    new ReferralAnswer(
                            customerId, true, repository.referralOf(key).orElseThrow()),
                    made);
        }));
        return stated;
    }

    /** A customer the shop has not told Loyalflow about yet; never one who was erased. */
    private long createBare(String customerId) {
        if (repository.wasErased(customerId)) {
            throw Refusal.notFound(
                    "Customer " + customerId + " was erased; referral statistics do not bring "
                            + "them back. A new profile or order with this id starts a new customer, whose statistics are accepted then.");
        }
        return customers
                .ensureCustomers(List.of(customerId), CustomerOrigin.REFERRAL, null)
                .keys()
                .get(customerId);
    }

    private static Referral validate(ReferralRequest request, Instant now, Violations violations) {
        ReferralActivity activity = null;
        if (request.activity() == null) {
            violations.add("activity", "is required: Active or Dormant");
        } else {
            activity = ReferralActivity.parse(request.activity()).orElse(null);
            if (activity == null) {
                violations.add("activity", "must be Active or Dormant, got \"" + request.activity() + "\"");
            }
        }
        if (request.successfulReferrals() == null) {
            violations.add("successfulReferrals", "is required: the number of successful referrals, 0 or more");
        } else if (request.successfulReferrals() < 0) {
            violations.add("successfulReferrals", "must be 0 or more");
        }
        String shareUrl = shareUrl(request.shareUrl(), violations);
        BigDecimal revenue = revenue(request.extendedRevenue(), violations);
        Instant statedAt = request.statedAt() == null
                ? now
                : request.statedAt().toInstant().truncatedTo(ChronoUnit.MICROS);
        if (statedAt.isAfter(now.plus(CustomerService.CLOCK_SKEW))) {
            violations.add("statedAt", "must not be in the future");
        }
        return activity == null || request.successfulReferrals() == null || revenue == null
                ? null
                : new Referral(activity, request.successfulReferrals(), shareUrl, revenue, statedAt);
    }

    /** An absolute http(s) URL with a host; blank means none. */
    private static String shareUrl(String raw, Violations violations) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        String url = raw.trim();
        if (url.length() > MAX_SHARE_URL) {
            violations.add("shareUrl", "must not exceed " + MAX_SHARE_URL + " characters");
            return null;
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
                return url;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        violations.add(
                "shareUrl",
                "must be an absolute http or https URL, such as https://mention-me.com/m/ole/cj6qx-ann-lee");
        return null;
    }

    private static BigDecimal revenue(BigDecimal raw, Violations violations) {
        if (raw == null) {
            violations.add(
                    "extendedRevenue", "is required: the customer's and their referred friends' spend, 0 or more");
            return null;
        }
        if (raw.signum() < 0) {
            violations.add("extendedRevenue", "must be 0 or more");
            return null;
        }
        if (raw.stripTrailingZeros().scale() > REVENUE_SCALE) {
            violations.add("extendedRevenue", "must have at most " + REVENUE_SCALE + " decimals");
            return null;
        }
        if (raw.compareTo(MAX_REVENUE) >= 0) {
            violations.add("extendedRevenue", "must be less than " + MAX_REVENUE.toPlainString());
            return null;
        }
        return raw.setScale(REVENUE_SCALE, RoundingMode.UNNECESSARY);
    }
}
