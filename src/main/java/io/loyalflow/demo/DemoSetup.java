package io.loyalflow.demo;

import io.loyalflow.campaign.Campaign;
import io.loyalflow.customer.CustomerService;
import io.loyalflow.customer.ReferralRequest;
import io.loyalflow.customer.ReferralService;
import io.loyalflow.journey.CampaignEntryProcess;
import io.loyalflow.order.ImportReport;
import io.loyalflow.order.OrderImporter;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.segment.SegmentRefresh;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.runtime.Job;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * The CDNOW demo at start (with {@code loyalflow.demo.cdnow=true}), in the background so the service is
 * healthy at once: the purchase log moved in time so that its last purchase day is yesterday, generated
 * contacts and consents through the customer API, the demo's two ad audiences, one active campaign per template,
 * the first segment refresh, and the campaign entry run brought forward. Progress goes to the log and
 * {@code GET /api/demo}.
 * Every step can run again without changing what is there, so a start after a crash completes the load; a
 * start after a complete load does nothing (the shift stays the first load's).
 */
@Component
@ConditionalOnProperty(name = "loyalflow.demo.cdnow", havingValue = "true")
class DemoSetup implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoSetup.class);
    private static final int CONTACT_CHUNK = 250;

    private final DemoProperties properties;
    private final DemoState state;
    private final OrderImporter importer;
    private final CustomerService customers;
    private final ReferralService referrals;
    private final DemoCampaigns campaigns;
    private final DemoAudiences audiences;
    private final SegmentRefresh refresh;
    private final ManagementService management;
    private final Clock clock;
    private final Environment environment;
    private final ThreadPoolTaskExecutor loadThread;
    private final ThreadPoolTaskExecutor contactThreads;
    private volatile CompletableFuture<DemoState.Row> loading = new CompletableFuture<>();

    DemoSetup(
            DemoProperties properties,
            DemoState state,
            OrderImporter importer,
            CustomerService customers,
            ReferralService referrals,
            DemoCampaigns campaigns,
            DemoAudiences audiences,
            SegmentRefresh refresh,
            ManagementService management,
            Clock clock,
            Environment environment,
            @Qualifier(DemoExecutors.LOAD) ThreadPoolTaskExecutor loadThread,
            @Qualifier(DemoExecutors.CONTACTS) ThreadPoolTaskExecutor contactThreads) {
        this.properties = properties;
        this.state = state;
        this.importer = importer;
        this.customers = customers;
        this.referrals = referrals;
        this.campaigns = campaigns;
        this.audiences = audiences;
        this.refresh = refresh;
        this.management = management;
        this.clock = clock;
        this.environment = environment;
        this.loadThread = loadThread;
        this.contactThreads = contactThreads;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (SimulatorGuard.production(environment)) {
            log.warn("CDNOW demo under a production profile: the engagement simulator stays off");
        }
        CompletableFuture<DemoState.Row> load = new CompletableFuture<>();
        loading = load;
        loadThread.execute(() -> {
            try {
                load.complete(load());
            } catch (Throwable e) {
                log.error("CDNOW demo: the load failed; the next start takes it up again", e);
                try {
                    state.failed(e.toString());
                } catch (RuntimeException ignored) {
                    // the database is gone too (the service is stopping)
                }
                load.completeExceptionally(e);
            }
        });
    }

    /** Waits for the latest load to end (tests); answers the demo's row, READY. */
    DemoState.Row awaitLoaded(Duration timeout) throws InterruptedException, ExecutionException, TimeoutException {
        return loading.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private DemoState.Row load() throws Exception {
        long started = System.nanoTime();
        DemoState.Row row = state.find().orElse(null);
        if (row != null && row.state() == DemoState.State.READY) {
            log.info(
                    "CDNOW demo: loaded already ({} customers, dates moved by {} days); nothing to do",
                    row.customers(),
                    row.shiftDays());
            return row;
        }
        CdnowLog.Extent extent = CdnowLog.extent(row != null ? row.customers() : properties.customers());
        if (row == null) {
            LocalDate yesterday =
                    LocalDate.now(clock.withZone(CdnowOrderSource.ZONE)).minusDays(1);
            row = state.begin(
                    ChronoUnit.DAYS.between(extent.lastDay(), yesterday), extent.customers(), clock.instant());
        } else {
            state.restart(clock.instant());
        }
        long shift = row.shiftDays();
        log.info(
                "CDNOW demo: loading {} customers in the background, dates moved by {} days (last purchase {} -> {})",
                extent.customers(),
                shift,
                extent.lastDay(),
                extent.lastDay().plusDays(shift));

        state.step("orders");
        ImportReport orders = new CdnowDemoLoader(importer).load(shift, extent.customers());
        state.orders((int) (orders.created() + orders.unchanged()));
        log.info(
                "CDNOW demo: {} orders ({} new, {} already there, {} rejected), {} customers created, in {} ms",
                orders.orders(),
                orders.created(),
                orders.unchanged(),
                orders.rejected(),
                orders.customersCreated(),
                orders.durationMillis());

        state.step("contacts");
        contacts(extent.customers());

        // before the campaigns: the cross-sell campaign's journeys join one of them, and activation checks it exists
        state.step("audiences");
        log.info("CDNOW demo: ad audiences {} (created now: {})", DemoAudiences.IDS, audiences.ensure());

        state.step("campaigns");
        List<Campaign> active = campaigns.ensureActive();
        log.info(
                "CDNOW demo: campaigns {}",
                active.stream().map(c -> c.id() + " " + c.state()).toList());

        state.step("segments");
        try {
            SegmentRefresh.Summary summary = refresh.refreshBuiltIn();
            log.info("CDNOW demo: first segment refresh, entered {}", summary.entered());
        } catch (Refusal e) {
            log.info("CDNOW demo: a segment refresh is running already; campaigns enter from it");
        }
        bringEntryForward();
        state.ready(clock.instant());
        log.info(
                "CDNOW demo: ready in {} s",
                Duration.ofNanos(System.nanoTime() - started).toSeconds());
        return state.find().orElseThrow();
    }

    /** Each customer's generated contact and consents, stated through the customer API as a shop would. */
    private void contacts(int count) throws Exception {
        DemoContacts generator = new DemoContacts(
                properties.simulator().seed(),
                properties.emailConsentShare(),
                properties.phoneShare(),
                properties.smsConsentShare(),
                properties.adsConsentShare());
        AtomicInteger written = new AtomicInteger();
        AtomicInteger email = new AtomicInteger();
        AtomicInteger sms = new AtomicInteger();
        AtomicInteger ads = new AtomicInteger();
        int step = Math.max(CONTACT_CHUNK, count / 10);
        List<Future<?>> chunks = new ArrayList<>();
        for (int first = 1; first <= count; first += CONTACT_CHUNK) {
            int from = first;
            int to = Math.min(count, first + CONTACT_CHUNK - 1);
            chunks.add(contactThreads.submit(() -> {
                for (int number = from; number <= to; number++) {
                    DemoContacts.Contact contact = generator.of(number);
                    String customerId = String.format("%s%05d", CdnowOrderSource.CUSTOMER_PREFIX, number);
                    customers.upsert(customerId, contact.profile(), null);
                    ReferralRequest referral = generator.referralOf(number, properties.referralShare());
                    if (referral != null) {
                        referrals.state(customerId, referral);
                    }
                    if (contact.emailConsent()) {
                        email.incrementAndGet();
                    }
                    if (contact.smsConsent()) {
                        sms.incrementAndGet();
                    }
                    if (contact.adsConsent()) {
                        ads.incrementAndGet();
                    }
                    int n = written.incrementAndGet();
                    if (n % step == 0) {
                        state.contacts(n, email.get(), sms.get());
                        log.info("CDNOW demo: contacts {} of {}", n, count);
                    }
                }
            }));
        }
        try {
            for (Future<?> chunk : chunks) {
                chunk.get();
            }
        } finally {
            chunks.forEach(chunk -> chunk.cancel(true));
        }
        state.contacts(written.get(), email.get(), sms.get());
        log.info(
                "CDNOW demo: {} contacts (@example.com, fictional phone ranges), {} opted in to e-mail, {} to SMS, "
                        + "{} to ad audiences",
                written.get(),
                email.get(),
                sms.get(),
                ads.get());
    }

    /**
     * The campaign-entry process's next scheduled run, brought forward to now: the job executor enters the
     * customers of the first refresh within seconds instead of at the next five-minute mark.
     */
    private void bringEntryForward() {
        Date now = Date.from(clock.instant());
        for (Job timer : management
                .createJobQuery()
                .processDefinitionKey(CampaignEntryProcess.KEY)
                .timers()
                .list()) {
            management.setJobDuedate(timer.getId(), now);
        }
    }
}
