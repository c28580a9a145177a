package io.loyalflow.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.loyalflow.customer.Channel;
import io.loyalflow.customer.CustomerProperties;
import io.loyalflow.messaging.DeliveryRepository.NewDelivery;
import io.loyalflow.messaging.DeliveryRepository.Recipient;
import io.loyalflow.messaging.DeliveryRepository.StepDelivery;
import io.loyalflow.messaging.SendGate.Verdict;
import io.loyalflow.messaging.SendGate.WhenCapped;
import io.loyalflow.messaging.provider.EmailMessage;
import io.loyalflow.messaging.provider.EmailProvider;
import io.loyalflow.messaging.provider.SendResult;
import io.loyalflow.messaging.provider.SmsMessage;
import io.loyalflow.messaging.provider.SmsProvider;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends a journey step's message at most once. The step's delivery row is committed before the
 * provider is called and keyed by (process instance, step): a retried job, a node that died
 * mid-send, or two nodes racing find the row and never send a second message. A send that cannot be
 * known to have failed is recorded UNKNOWN and not resent.
 *
 * <p>The frequency cap is exact across nodes and job threads: a send the gate lets go is decided again in
 * the transaction that claims it, under the lock of the customer's sends on the channel (see {@code
 * claimUnderCap}).
 *
 * <p>Cost of a send beyond the engine's own work: one read (recipient, consent, suppression, cap
 * count), one transaction for the claim (the lock row's update, the cap count under the lock, the
 * insert, the commit), one update (the outcome, committed on its own).
 */
@Service
public class Outbox {

    private static final Logger log = LoggerFactory.getLogger(Outbox.class);

    private final DeliveryRepository deliveries;
    private final Suppressions suppressions;
    private final SendGate gate;
    private final EmailProvider emailProvider;
    private final SmsProvider smsProvider;
    private final UnsubscribeTokens unsubscribeTokens;
    private final MessagingProperties properties;
    private final CustomerProperties customerProperties;
    private final ObjectMapper objectMapper;
    private final TransactionTemplate ownCommit;
    private final TransactionTemplate capLockCommit;
    private final MeterRegistry meters;
    private final Clock clock;

    Outbox(
            DeliveryRepository deliveries,
            Suppressions suppressions,
            SendGate gate,
            EmailProvider emailProvider,
            SmsProvider smsProvider,
            UnsubscribeTokens unsubscribeTokens,
            MessagingProperties properties,
            CustomerProperties customerProperties,
            ObjectMapper objectMapper,
            PlatformTransactionManager transactions,
            MeterRegistry meters,
            Clock clock) {
        this.deliveries = deliveries;
        this.suppressions = suppressions;
        this.gate = gate;
        this.emailProvider = emailProvider;
        this.smsProvider = smsProvider;
        this.unsubscribeTokens = unsubscribeTokens;
        this.properties = properties;
        this.customerProperties = customerProperties;
        this.objectMapper = objectMapper;
        // Outside the engine's transaction, each statement commits by itself: the claim must be durable
        // before the provider is called, whatever happens to the job afterwards.
        this.ownCommit = new TransactionTemplate(transactions);
        this.ownCommit.setPropagationBehavior(TransactionDefinition.PROPAGATION_NOT_SUPPORTED);
        // A claim under the cap's lock: a transaction of its own, outside the engine's, committed before the
        // provider is called.
        this.capLockCommit = new TransactionTemplate(transactions);
        this.capLockCommit.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.meters = meters;
        this.clock = clock;
    }

    /** Where in which journey a send happens. {@code variables} answers the process's variables for tokens. */
    public record StepContext(
            String processInstanceId,
            String stepKey,
            String activityId,
            String processDefinitionKey,
            String businessKey,
            Function<String, Optional<Object>> variables) {

        /** The campaign a message counts for when the task names none: the campaign part of the business key. */
        String defaultCategory() {
            if (businessKey != null && businessKey.indexOf(':') > 0) {
                return businessKey.substring(0, businessKey.indexOf(':'));
            }
            return processDefinitionKey;
        }
    }

    public record EmailStep(
            String customerId,
            String templateId,
            Object templateData,
            String category,
            String fromEmail,
            String fromName,
            WhenCapped whenCapped) {}

    public record SmsStep(String customerId, String text, String category, WhenCapped whenCapped) {}

    /**
     * What came of a send step's message. With DEFERRED, {@code retryAt} and {@code reason} say until when
     * and why the step waits; the other outcomes are the journey's.
     */
    public record StepResult(SendOutcome outcome, String deliveryId, Instant retryAt, String reason) {

        StepResult(SendOutcome outcome, String deliveryId) {
            this(outcome, deliveryId, null, null);
        }
    }

    public StepResult sendEmail(StepContext step, EmailStep email) {
        String category = email.category() != null ? email.category() : step.defaultCategory();
        Composer composer = new Composer() {
            @Override
            public String templateId() {
                return email.templateId();
            }

            @Override
            public Prepared prepare(Recipient recipient, Function<String, String> profile) {
                Object data =
                        MessageTokens.renderValue(templateDataOf(email.templateData()), profile, step.variables());
                @SuppressWarnings("unchecked")
                Map<String, Object> rendered = new LinkedHashMap<>((Map<String, Object>) data);
                rendered.putIfAbsent("unsubscribe_url", profile.apply("unsubscribeUrl"));
                return new Prepared(
                        json(rendered),
                        id -> emailProvider.send(new EmailMessage(
                                id,
                                recipient.email(),
                                fullName(recipient),
                                firstNonNull(
                                        email.fromEmail(), properties.sendgrid().fromEmail()),
                                firstNonNull(
                                        email.fromName(), properties.sendgrid().fromName()),
                                email.templateId(),
                                rendered,
                                category,
                                Map.of(EmailMessage.PROCESS_INSTANCE_ARG, step.processInstanceId()),
                                profile.apply("unsubscribeUrl"),
                                properties.sendgrid().unsubscribeGroupId())));
            }
        };
        return send(
                step, Channel.EMAIL, email.customerId(), category, email.whenCapped(), composer, emailProvider.name());
    }

    public StepResult sendSms(StepContext step, SmsStep sms) {
        String category = sms.category() != null ? sms.category() : step.defaultCategory();
        Composer composer = new Composer() {
            @Override
            public String templateId() {
                return null;
            }

            @Override
            public Prepared prepare(Recipient recipient, Function<String, String> profile) {
                String text = MessageTokens.render(sms.text(), profile, step.variables());
                return new Prepared(
                        text,
                        id -> smsProvider.send(new SmsMessage(id, recipient.phone(), text, statusCallbackUrl(id))));
            }
        };
        return send(step, Channel.SMS, sms.customerId(), category, sms.whenCapped(), composer, smsProvider.name());
    }

    private interface Composer {
        String templateId();

        /** Renders the message for the recipient (a rendering error stops the step: a modelling error). */
        Prepared prepare(Recipient recipient, Function<String, String> profile);
    }

    private record Prepared(String content, Function<String, SendResult> sender) {}

    private StepResult send(
            StepContext step,
            Channel channel,
            String customerId,
            String category,
            WhenCapped whenCapped,
            Composer composer,
            String provider) {
        Instant now = clock.instant();
        Recipient recipient = customerId == null
                ? null
                : deliveries
                        .recipient(
                                customerId,
                                channel,
                                now.minus(gate.cap(channel).window()),
                                customerProperties.defaultTimeZone())
                        .orElse(null);
        Verdict verdict = recipient == null
                ? gate.decide(new SendGate.GateFacts(null, channel, null, null, null, 0, null, null), whenCapped, now)
                : gate.decide(recipient.facts(channel), whenCapped, now);
        Prepared prepared = verdict.passed() ? composer.prepare(recipient, profile(recipient, channel)) : null;
        String deliveryId = UUID.randomUUID().toString();
        Verdict decided;
        try {
            decided = claimUnderCap(recipient, channel, whenCapped, verdict, now, finalVerdict -> {
                        deliveries.insert(new NewDelivery(
                                deliveryId,
                                step.processInstanceId(),
                                step.stepKey(),
                                step.activityId(),
                                step.processDefinitionKey(),
                                step.businessKey(),
                                category,
                                recipient == null ? null : recipient.customerKey(),
                                channel,
                                recipient == null ? null : recipient.address(channel),
                                composer.templateId(),
                                finalVerdict.passed() ? prepared.content() : null,
                                false,
                                finalVerdict.decision(),
                                finalVerdict.detail(),
                                statusOf(finalVerdict),
                                finalVerdict.passed() ? provider : null,
                                finalVerdict.retryAt(),
                                now));
                        return true;
                    })
                    .orElseThrow();
        } catch (DuplicateKeyException alreadyThere) {
            return resume(step, channel, whenCapped, verdict, recipient, composer, provider, now);
        }
        if (!decided.passed()) {
            return counted(
                    channel,
                    new StepResult(statusOf(decided).outcome(), deliveryId, decided.retryAt(), decided.detail()));
        }
        return counted(channel, deliver(deliveryId, channel, recipient.address(channel), prepared, provider));
    }

    /**
     * Writes a delivery's claim with the gate's final verdict. A verdict that lets the message go is decided
     * again under the lock of the customer's sends on the channel ({@code send_cap_lock}), with the cap's
     * count read under that lock, and the claim commits before the lock is released: two sends to one
     * customer, on two nodes or two job threads, cannot both count the same free place under the cap. The
     * lock is never held while the provider is called. A verdict that does not send writes without it.
     *
     * @param write writes the claim for the final verdict; false when the delivery was no longer as read
     * @return the final verdict, or empty when {@code write} answered false
     */
    private Optional<Verdict> claimUnderCap(
            Recipient recipient,
            Channel channel,
            WhenCapped whenCapped,
            Verdict verdict,
            Instant now,
            Function<Verdict, Boolean> write) {
        if (!verdict.passed()) {
            return ownCommit(() -> write.apply(verdict)) ? Optional.of(verdict) : Optional.empty();
        }
        for (int attempt = 0; attempt < 2; attempt++) {
            // null: the customer has no lock row on the channel yet
            Optional<Verdict> claimed = capLockCommit.execute(tx -> {
                if (!deliveries.lockCap(recipient.customerKey(), channel, now)) {
                    return null;
                }
                DeliveryRepository.CapCount count = deliveries.capCount(
                        recipient.customerKey(),
                        channel,
                        now.minus(gate.cap(channel).window()));
                Verdict decided = gate.decide(
                        recipient.facts(channel).recounted(count.recentSends(), count.oldestRecentSend()),
                        whenCapped,
                        now);
                return write.apply(decided) ? Optional.of(decided) : Optional.empty();
            });
            if (claimed != null) {
                return claimed;
            }
            ownCommit(() -> {
                deliveries.createCapLock(recipient.customerKey(), channel, now);
                return null;
            });
        }
        throw new IllegalStateException("no cap lock row for customer " + recipient.customerKey() + " on " + channel);
    }

    /**
     * The step already has a delivery: a retried job, an interrupted send, another node's run, the
     * step's next try at a delivery it deferred, or a journey back at a step it left while the message
     * waited (its visit never completed, so the step key is the same). One not sent (RETRYABLE,
     * DEFERRED, CANCELLED) goes through the gate again and is claimed with a compare-and-set, so only one
     * try ever calls the provider.
     */
    private StepResult resume(
            StepContext step,
            Channel channel,
            WhenCapped whenCapped,
            Verdict verdict,
            Recipient recipient,
            Composer composer,
            String provider,
            Instant now) {
        StepDelivery existing = deliveries
                .findByStep(step.processInstanceId(), step.stepKey())
                .orElseThrow(() -> new IllegalStateException("delivery of step " + step.stepKey() + " vanished"));
        switch (existing.status()) {
            case SENDING -> {
                if (existing.updatedAt().isBefore(now.minus(properties.staleSendAfter()))
                        && ownCommit(() -> deliveries.markInterrupted(
                                existing.deliveryId(), now.minus(properties.staleSendAfter()), now))) {
                    log.warn(
                            "Delivery {} of {} was interrupted mid-send; recorded UNKNOWN, not resent",
                            existing.deliveryId(),
                            step.processInstanceId());
                    return new StepResult(SendOutcome.UNKNOWN, existing.deliveryId());
                }
                throw new SendInProgressException(existing.deliveryId());
            }
            case RETRYABLE, DEFERRED, CANCELLED -> {
                DeliveryStatus from = existing.status();
                Prepared prepared = verdict.passed() ? composer.prepare(recipient, profile(recipient, channel)) : null;
                Verdict decided = claimUnderCap(
                                recipient,
                                channel,
                                whenCapped,
                                verdict,
                                now,
                                finalVerdict -> finalVerdict.passed()
                                        ? deliveries.claim(
                                                existing.deliveryId(),
                                                from,
                                                finalVerdict.decision(),
                                                finalVerdict.detail(),
                                                prepared.content(),
                                                now)
                                        : deliveries.close(
                                                existing.deliveryId(),
                                                from,
                                                finalVerdict.decision(),
                                                finalVerdict.detail(),
                                                statusOf(finalVerdict),
                                                finalVerdict.retryAt(),
                                                now))
                        .orElseThrow(() -> new SendInProgressException(existing.deliveryId()));
                if (!decided.passed()) {
                    return counted(
                            channel,
                            new StepResult(
                                    statusOf(decided).outcome(),
                                    existing.deliveryId(),
                                    decided.retryAt(),
                                    decided.detail()));
                }
                return counted(
                        channel,
                        deliver(existing.deliveryId(), channel, recipient.address(channel), prepared, provider));
            }
            default -> {
                return new StepResult(existing.status().outcome(), existing.deliveryId());
            }
        }
    }

    /** Calls the provider once for a claimed delivery and records what came of it. */
    private StepResult deliver(String deliveryId, Channel channel, String address, Prepared prepared, String provider) {
        SendResult result;
        try {
            result = prepared.sender().apply(deliveryId);
        } catch (RuntimeException e) {
            // Whether anything left is unknowable: record that, and let the incident show the error.
            ownCommit(() -> {
                deliveries.recordUnknown(deliveryId, "provider call failed: " + e, clock.instant());
                return null;
            });
            throw e;
        }
        Instant done = clock.instant();
        if (result instanceof SendResult.Accepted accepted) {
            DeliveryStatus status =
                    MessagingProperties.LOG.equals(provider) ? DeliveryStatus.LOGGED : DeliveryStatus.SENT;
            ownCommit(() -> {
                deliveries.recordAccepted(deliveryId, status, accepted.providerMessageId(), done);
                return null;
            });
            return new StepResult(SendOutcome.SENT, deliveryId);
        }
        if (result instanceof SendResult.Retryable retryable) {
            ownCommit(() -> {
                deliveries.recordRetryable(deliveryId, retryable.reason(), done);
                return null;
            });
            throw new RetryableSendException(deliveryId, provider, retryable);
        }
        if (result instanceof SendResult.Rejected rejected) {
            ownCommit(() -> {
                deliveries.recordFailed(deliveryId, rejected.reason(), done);
                if (rejected.suppress() != null) {
                    suppressions.suppress(channel, address, rejected.suppress(), provider + ":" + rejected.errorCode());
                }
                return null;
            });
            return new StepResult(SendOutcome.FAILED, deliveryId);
        }
        SendResult.Unknown unknown = (SendResult.Unknown) result;
        ownCommit(() -> {
            deliveries.recordUnknown(deliveryId, unknown.reason(), done);
            return null;
        });
        log.warn(
                "Delivery {}: {} gave no clear answer ({}); recorded UNKNOWN, not resent",
                deliveryId,
                provider,
                unknown.reason());
        return new StepResult(SendOutcome.UNKNOWN, deliveryId);
    }

    /**
     * A test send to an analyst's address or phone: suppression applies, consent, caps and quiet hours do not.
     *
     * @param fromEmail e-mail: the sender (a campaign's), or null for the configured one
     * @param fromName e-mail: the sender's name, or null for the configured one
     */
    public record TestSend(
            Channel channel,
            String to,
            String templateId,
            Object templateData,
            String smsText,
            String category,
            String sampleCustomerId,
            String fromEmail,
            String fromName) {}

    public record TestSendResult(
            String deliveryId, GateDecision gateDecision, String gateDetail, DeliveryStatus status, String error) {}

    /**
     * The tokens that show who a sample customer is, and what a test send shows instead to a tester who
     * may not read personal data. The referral statistics stay: they are what a sample is for.
     */
    static final Map<String, String> PERSONAL_PLACEHOLDERS = Map.of(
            "firstName", "[first name]",
            "lastName", "[last name]",
            "customerId", "[customer id]",
            "email", "[e-mail address]",
            "phone", "[phone number]",
            "referralShareUrl", "[referral share link]");

    /**
     * @param sample the customer whose profile fills the tokens, or null
     * @param personalData whether the tester may read the sample's personal data; without it, the
     *     tokens of {@link #PERSONAL_PLACEHOLDERS} show placeholders
     */
    public TestSendResult sendTest(TestSend test, Recipient sample, boolean personalData) {
        Instant now = clock.instant();
        String address = Addresses.normalise(test.channel(), test.to());
        Verdict verdict =
                gate.decideTest(suppressions.of(test.channel(), address).orElse(null), test.channel(), address);
        Function<String, String> sampleProfile = sample == null ? name -> null : profile(sample, test.channel());
        // A test message is no customer's: its unsubscribe link opts nobody out, whoever the sample is.
        Function<String, String> profile = name -> {
            if ("unsubscribeUrl".equals(name)) {
                return testUnsubscribeUrl();
            }
            if (sample != null && !personalData && PERSONAL_PLACEHOLDERS.containsKey(name)) {
                return PERSONAL_PLACEHOLDERS.get(name);
            }
            return sampleProfile.apply(name);
        };
        Function<String, Optional<Object>> noVariables = name -> Optional.empty();
        String provider = test.channel() == Channel.EMAIL ? emailProvider.name() : smsProvider.name();
        Prepared prepared = null;
        if (verdict.passed()) {
            if (test.channel() == Channel.EMAIL) {
                @SuppressWarnings("unchecked")
                Map<String, Object> data = (Map<String, Object>)
                        MessageTokens.renderValue(templateDataOf(test.templateData()), profile, noVariables);
                String category = test.category();
                prepared = new Prepared(
                        json(data),
                        id -> emailProvider.send(new EmailMessage(
                                id,
                                address,
                                null,
                                firstNonNull(
                                        test.fromEmail(), properties.sendgrid().fromEmail()),
                                firstNonNull(
                                        test.fromName(), properties.sendgrid().fromName()),
                                test.templateId(),
                                data,
                                category,
                                Map.of("loyalflow_test", "true"),
                                null,
                                properties.sendgrid().unsubscribeGroupId())));
            } else {
                String text = MessageTokens.render(test.smsText(), profile, noVariables);
                prepared = new Prepared(
                        text, id -> smsProvider.send(new SmsMessage(id, address, text, statusCallbackUrl(id))));
            }
        }
        String deliveryId = UUID.randomUUID().toString();
        Prepared claimed = prepared;
        ownCommit(() -> {
            deliveries.insert(new NewDelivery(
                    deliveryId,
                    null,
                    null,
                    null,
                    null,
                    null,
                    test.category(),
                    sample == null ? null : sample.customerKey(),
                    test.channel(),
                    address,
                    test.templateId(),
                    claimed == null ? null : claimed.content(),
                    true,
                    verdict.decision(),
                    verdict.detail(),
                    statusOf(verdict),
                    verdict.passed() ? provider : null,
                    null,
                    now));
            return null;
        });
        if (!verdict.passed()) {
            return new TestSendResult(deliveryId, verdict.decision(), verdict.detail(), statusOf(verdict), null);
        }
        try {
            StepResult result = deliver(deliveryId, test.channel(), address, prepared, provider);
            DeliveryStatus status = result.outcome() == SendOutcome.SENT
                    ? (MessagingProperties.LOG.equals(provider) ? DeliveryStatus.LOGGED : DeliveryStatus.SENT)
                    : result.outcome() == SendOutcome.FAILED ? DeliveryStatus.FAILED : DeliveryStatus.UNKNOWN;
            return new TestSendResult(deliveryId, verdict.decision(), verdict.detail(), status, null);
        } catch (RetryableSendException e) {
            return new TestSendResult(
                    deliveryId, verdict.decision(), verdict.detail(), DeliveryStatus.RETRYABLE, e.getMessage());
        }
    }

    private Function<String, String> profile(Recipient recipient, Channel channel) {
        return name -> switch (name) {
            case "firstName" -> recipient.firstName();
            case "lastName" -> recipient.lastName();
            case "customerId" -> recipient.customerId();
            case "email" -> recipient.email();
            case "phone" -> recipient.phone();
            case "unsubscribeUrl" -> unsubscribeUrl(recipient.customerKey(), channel);
            case "referralShareUrl" -> recipient.referralShareUrl();
            case "successfulReferrals" ->
                recipient.successfulReferrals() == null
                        ? null
                        : recipient.successfulReferrals().toString();
            case "extendedRevenue" -> plainDecimal(recipient.extendedRevenue());
            default -> null;
        };
    }

    /** 1234.5000 as "1234.5", 1200.0000 as "1200": no trailing zeros, never an exponent. */
    private static String plainDecimal(BigDecimal value) {
        if (value == null) {
            return null;
        }
        BigDecimal stripped = value.stripTrailingZeros();
        return (stripped.scale() < 0 ? stripped.setScale(0) : stripped).toPlainString();
    }

    public String unsubscribeUrl(long customerKey, Channel channel) {
        return base() + "/unsubscribe/" + unsubscribeTokens.issue(customerKey, channel);
    }

    /** The unsubscribe link of test sends: a page that says so and unsubscribes nobody. */
    String testUnsubscribeUrl() {
        return base() + UnsubscribeController.TEST_LINK_PATH;
    }

    private String statusCallbackUrl(String deliveryId) {
        return base() + "/webhooks/twilio/status?delivery=" + deliveryId;
    }

    private String base() {
        String base = properties.publicBaseUrl().toString();
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }

    /** Template data as a map: a JSON object text (element templates), a map (Modeler input mapping), or none. */
    @SuppressWarnings("unchecked")
    Map<String, Object> templateDataOf(Object templateData) {
        if (templateData == null) {
            return new LinkedHashMap<>();
        }
        if (templateData instanceof Map<?, ?> map) {
            return new LinkedHashMap<>((Map<String, Object>) map);
        }
        String text = templateData.toString().trim();
        if (text.isEmpty()) {
            return new LinkedHashMap<>();
        }
        try {
            Object parsed = objectMapper.readValue(text, Object.class);
            if (parsed instanceof Map<?, ?> map) {
                return new LinkedHashMap<>((Map<String, Object>) map);
            }
        } catch (JsonProcessingException e) {
            throw new MessageTokens.MessageTemplateException("templateData is not JSON: " + e.getOriginalMessage());
        }
        throw new MessageTokens.MessageTemplateException("templateData must be a JSON object");
    }

    private String json(Object value) {
        try {
            return objectMapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private StepResult counted(Channel channel, StepResult result) {
        meters.counter(
                        "loyalflow.messaging.sends",
                        "channel",
                        channel.key(),
                        "outcome",
                        result.outcome().name())
                .increment();
        return result;
    }

    private <T> T ownCommit(Supplier<T> work) {
        return ownCommit.execute(tx -> work.get());
    }

    private static DeliveryStatus statusOf(Verdict verdict) {
        if (verdict.passed()) {
            return DeliveryStatus.SENDING;
        }
        return verdict.retryAt() != null ? DeliveryStatus.DEFERRED : DeliveryStatus.SKIPPED;
    }

    private static String fullName(Recipient recipient) {
        String name = ((recipient.firstName() == null ? "" : recipient.firstName()) + " "
                        + (recipient.lastName() == null ? "" : recipient.lastName()))
                .trim();
        return name.isEmpty() ? null : name;
    }

    private static String firstNonNull(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }
}
