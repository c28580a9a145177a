package io.loyalflow.customer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.problem.Violations;
import jakarta.validation.Validator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/** Customer profiles, consents and erasure. */
@Service
public class CustomerService {

    static final int MAX_ATTRIBUTES_CHARS = 16_384;
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final int CREATE_ATTEMPTS = 3;

    private final CustomerRepository repository;
    private final ContactRules contactRules;
    private final CustomerProperties properties;
    private final PurchaseFeatureSource features;
    private final ValuePredictions valuePredictions;
    private final Validator validator;
    private final ObjectMapper objectMapper;
    private final TransactionTemplate transactions;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    CustomerService(
            CustomerRepository repository,
            ContactRules contactRules,
            CustomerProperties properties,
            PurchaseFeatureSource features,
            Validator validator,
            ObjectMapper objectMapper,
            TransactionTemplate transactions,
            ApplicationEventPublisher events,
            Clock clock,
            ValuePredictions valuePredictions) {
        this.repository = repository;
        this.valuePredictions = valuePredictions;
        this.contactRules = contactRules;
        this.properties = properties;
        this.features = features;
        this.validator = validator;
        this.objectMapper = objectMapper;
        this.transactions = transactions;
        this.events = events;
        this.clock = clock;
    }

    public record Upserted(boolean created, boolean changed, CustomerView customer) {}

    /**
     * Creates or replaces a profile and applies its consent statements, atomically. With
     * {@code expectedVersion} the write happens only if the stored version still matches.
     */
    public Upserted upsert(String customerId, CustomerProfileRequest request, Long expectedVersion) {
        requireValidId(customerId);
        Instant now = clock.instant();
        Violations violations = new Violations().addAll("", validator.validate(request));
        Customer.Profile profile = normalise(request, violations);
        Map<ConsentTopic, Customer.Consent> statements = statements(request, now, violations);
        violations.throwIfAny();

        Written written = retryingConcurrentCreation(() -> transactions.execute(tx -> {
            var existing = repository.findForUpdate(customerId);
            if (expectedVersion != null
                    && existing.map(c -> c.version() != expectedVersion).orElse(true)) {
                throw Refusal.staleVersion("Customer " + customerId + " is "
                        + existing.map(c -> "at version " + c.version()).orElse("absent") + ", not at version "
                        + expectedVersion + " (If-Match); read it again and reapply your change.");
            }
            long key;
            boolean created = existing.isEmpty();
            boolean changed = created;
            if (created) {
                key = repository.insert(customerId, profile, CustomerOrigin.PROFILE, now);
                events.publishEvent(new CustomerRegistered(key, now));
            } else {
                key = existing.get().key();
                changed = !existing.get().sameProfileAs(profile);
            }
            Map<ConsentTopic, Customer.Consent> current =
                    created ? Map.of() : existing.get().consents();
            boolean consentsChanged = applyConsents(key, current, statements);
            if (!created && (changed || consentsChanged)) {
                long version = existing.get().version() + 1;
                if (changed) {
                    repository.update(key, profile, version, now);
                } else {
                    repository.touch(key, version, now);
                }
            }
            return new Written(created, changed || consentsChanged);
        }));
        return new Upserted(written.created(), written.changed(), view(customerId));
    }

    private record Written(boolean created, boolean changed) {}

    public CustomerView view(String customerId) {
        requireValidId(customerId);
        Customer customer = repository.find(customerId).orElseThrow(() -> notFound(customerId));
        var zone = customer.effectiveZone(properties.defaultTimeZone());
        Map<String, CustomerView.ConsentView> consents = new LinkedHashMap<>();
        customer.consents()
                .forEach((topic, consent) -> consents.put(
                        topic.key(),
                        new CustomerView.ConsentView(
                                consent.status(), consent.source(), consent.statedAt(), consent.recordedAt())));
        return new CustomerView(
                customer.customerId(),
                customer.email(),
                customer.phone(),
                customer.firstName(),
                customer.lastName(),
                customer.locale(),
                customer.timeZone(),
                zone.getId(),
                parse(customer.attributes()),
                consents,
                customer.origin(),
                customer.version(),
                customer.createdAt(),
                customer.updatedAt(),
                features.featuresOf(customer.key(), zone),
                valuePredictions.of(customer.key()).orElse(null),
                repository.referralOf(customer.key()).orElse(null));
    }

    /**
     * When a customer usually buys, for timing messages: their effective zone (profile, else phone
     * number, else the default) and the hour of day most of their orders were placed in that zone
     * (null without orders).
     */
    public record PurchaseClock(ZoneId zone, Integer usualPurchaseHour) {}

    /** The customer's purchase clock; empty for an unknown or erased customer. */
    public Optional<PurchaseClock> purchaseClock(String customerId) {
        return repository.find(customerId).map(customer -> {
            ZoneId zone = customer.effectiveZone(properties.defaultTimeZone());
            return new PurchaseClock(
                    zone, features.featuresOf(customer.key(), zone).usualPurchaseHour());
        });
    }

    /** Right to erasure: personal data (referral statistics included) goes, anonymous orders and aggregates stay. */
    public void erase(String customerId) {
        requireValidId(customerId);
        Instant now = clock.instant();
        transactions.executeWithoutResult(tx -> {
            Customer customer = repository.findForUpdate(customerId).orElseThrow(() -> notFound(customerId));
            repository.erase(customer.key(), customerId, now);
            events.publishEvent(new CustomerErased(customer.key(), now));
        });
    }

    /**
     * Keys of the given customers, creating bare customers for ids not known yet (shops send orders
     * before profiles). Runs in the caller's transaction; a concurrent creation of the same id
     * surfaces as {@link DuplicateKeyException}, and the caller retries.
     */
    public EnsuredCustomers ensureCustomers(Collection<String> customerIds, CustomerOrigin origin, String timeZone) {
        Map<String, Long> keys = repository.keysOf(customerIds);
        if (keys.size() == customerIds.size()) {
            return new EnsuredCustomers(keys, 0);
        }
        Set<String> missing = new HashSet<>(customerIds);
        missing.removeAll(keys.keySet());
        repository.insertBare(missing, origin, timeZone, clock.instant());
        keys.putAll(repository.keysOf(missing));
        return new EnsuredCustomers(keys, missing.size());
    }

    /** Customer keys by external id, and how many of those customers were just created. */
    public record EnsuredCustomers(Map<String, Long> keys, int created) {}

    /**
     * A consent statement that reached Loyalflow through a channel rather than the API (an unsubscribe
     * link, an e-mail unsubscribe or spam report, an SMS STOP or START): applied to every customer with
     * that address, audited like any statement. Returns the ids of the customers whose consent changed.
     */
    public List<String> stateConsentByAddress(
            Channel channel, String address, ConsentStatus status, String source, Instant statedAt) {
        Instant now = clock.instant();
        Customer.Consent statement = new Customer.Consent(status, source, statedAt, now);
        return transactions.execute(tx -> {
            List<String> changed = new ArrayList<>();
            for (String customerId : repository.customerIdsByAddress(channel, address)) {
                repository.findForUpdate(customerId).ifPresent(customer -> {
                    if (applyConsents(
                            customer.key(), customer.consents(), Map.of(ConsentTopic.of(channel), statement))) {
                        repository.touch(customer.key(), customer.version() + 1, now);
                        changed.add(customerId);
                    }
                });
            }
            return changed;
        });
    }

    /** The same for one customer known by key (a signed unsubscribe link names the customer, not the address). */
    public boolean stateConsentByKey(
            long customerKey, Channel channel, ConsentStatus status, String source, Instant statedAt) {
        Instant now = clock.instant();
        Customer.Consent statement = new Customer.Consent(status, source, statedAt, now);
        return Boolean.TRUE.equals(transactions.execute(tx -> repository
                .customerIdOf(customerKey)
                .flatMap(repository::findForUpdate)
                .map(customer -> {
                    boolean changed = applyConsents(
                            customer.key(), customer.consents(), Map.of(ConsentTopic.of(channel), statement));
                    if (changed) {
                        repository.touch(customer.key(), customer.version() + 1, now);
                    }
                    return changed;
                })
                .orElse(false)));
    }

    /** The address a customer known by key has on a channel (null when erased or absent). */
    public Optional<String> addressOf(long customerKey, Channel channel) {
        return repository
                .customerIdOf(customerKey)
                .flatMap(repository::find)
                .map(customer -> channel == Channel.EMAIL ? customer.email() : customer.phone());
    }

    /** Runs in the caller's transaction, which also carries {@link AdsConsentChanged} to its listeners. */
    private boolean applyConsents(
            long key, Map<ConsentTopic, Customer.Consent> current, Map<ConsentTopic, Customer.Consent> statements) {
        boolean changed = false;
        for (var entry : statements.entrySet()) {
            ConsentTopic topic = entry.getKey();
            Customer.Consent statement = entry.getValue();
            Customer.Consent onRecord = current.get(topic);
            if (onRecord != null && onRecord.status() == statement.status()) {
                continue; // a repeated statement: the original one keeps its date
            }
            boolean applies = onRecord == null || !statement.statedAt().isBefore(onRecord.statedAt());
            repository.recordConsentEvent(key, topic, statement, applies);
            if (applies) {
                repository.saveConsent(key, topic, statement, onRecord != null);
                changed = true;
                if (topic == ConsentTopic.ADS) {
                    events.publishEvent(new AdsConsentChanged(key, statement.status(), statement.recordedAt()));
                }
            }
        }
        return changed;
    }

    private Customer.Profile normalise(CustomerProfileRequest request, Violations violations) {
        String locale = contactRules.locale(request.locale(), violations);
        String phone = contactRules.phone(request.phone(), locale, violations);
        return new Customer.Profile(
                contactRules.email(request.email(), violations),
                phone,
                blankToNull(request.firstName()),
                blankToNull(request.lastName()),
                locale,
                contactRules.timeZone(request.timeZone(), violations),
                contactRules.timeZoneOfPhone(phone).orElse(null),
                attributes(request.attributes(), violations));
    }

    private Map<ConsentTopic, Customer.Consent> statements(
            CustomerProfileRequest request, Instant now, Violations violations) {
        Map<ConsentTopic, Customer.Consent> statements = new LinkedHashMap<>();
        if (request.consents() == null) {
            return statements;
        }
        request.consents().byTopic().forEach((topic, statement) -> {
            if (statement.status() == null || statement.source() == null) {
                return; // reported by bean validation
            }
            Instant statedAt =
                    statement.statedAt() == null ? now : statement.statedAt().toInstant();
            if (statedAt.isAfter(now.plus(CLOCK_SKEW))) {
                violations.add("consents." + topic.key() + ".statedAt", "must not be in the future");
            }
            statements.put(
                    topic,
                    new Customer.Consent(statement.status(), statement.source().trim(), statedAt, now));
        });
        return statements;
    }

    private String attributes(JsonNode attributes, Violations violations) {
        if (attributes == null || attributes.isNull()) {
            return null;
        }
        if (!attributes.isObject()) {
            violations.add("attributes", "must be a JSON object");
            return null;
        }
        attributes.fieldNames().forEachRemaining(name -> {
            if (name.isBlank() || name.length() > 100) {
                violations.add("attributes", "attribute names must have 1 to 100 characters: '" + name + "'");
            }
        });
        try {
            String json = objectMapper.writeValueAsString(attributes);
            if (json.length() > MAX_ATTRIBUTES_CHARS) {
                violations.add("attributes", "must not exceed " + MAX_ATTRIBUTES_CHARS + " characters of JSON");
                return null;
            }
            return json;
        } catch (JsonProcessingException e) {
            violations.add("attributes", "cannot be stored: " + e.getOriginalMessage());
            return null;
        }
    }

    private JsonNode parse(String attributes) {
        if (attributes == null) {
            return null;
        }
        try {
            return objectMapper.readTree(attributes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored attributes are not JSON", e);
        }
    }

    /** Runs {@code work} again when it lost a race to create the same customer (at most 3 attempts in all). */
    static <T> T retryingConcurrentCreation(Supplier<T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return work.get();
            } catch (DuplicateKeyException e) {
                if (attempt == CREATE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    static void requireValidId(String customerId) {
        if (!CustomerIds.isValid(customerId)) {
            throw Refusal.invalid("customerId", "must be " + CustomerIds.RULE);
        }
    }

    private static Refusal notFound(String customerId) {
        return Refusal.notFound("No customer " + customerId + ".");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
