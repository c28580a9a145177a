package io.loyalflow.campaign.migration;

import io.loyalflow.campaign.Campaign;
import io.loyalflow.campaign.Campaigns;
import io.loyalflow.platform.db.Timestamps;
import io.loyalflow.platform.problem.FieldViolation;
import io.loyalflow.platform.problem.Refusal;
import io.loyalflow.platform.problem.Violations;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.camunda.bpm.engine.HistoryService;
import org.camunda.bpm.engine.ManagementService;
import org.camunda.bpm.engine.RepositoryService;
import org.camunda.bpm.engine.RuntimeService;
import org.camunda.bpm.engine.batch.Batch;
import org.camunda.bpm.engine.batch.history.HistoricBatch;
import org.camunda.bpm.engine.migration.MigrationInstruction;
import org.camunda.bpm.engine.migration.MigrationInstructionValidationReport;
import org.camunda.bpm.engine.migration.MigrationPlan;
import org.camunda.bpm.engine.migration.MigrationPlanBuilder;
import org.camunda.bpm.engine.migration.MigrationPlanValidationException;
import org.camunda.bpm.engine.repository.ProcessDefinition;
import org.camunda.bpm.engine.runtime.Job;
import org.camunda.bpm.engine.runtime.ProcessInstanceQuery;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.CatchEvent;
import org.camunda.bpm.model.bpmn.instance.EventBasedGateway;
import org.camunda.bpm.model.bpmn.instance.EventDefinition;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.ReceiveTask;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.SignalEventDefinition;
import org.camunda.bpm.model.bpmn.instance.StartEvent;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.xml.instance.ModelElementInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves a campaign's running journeys from the versions of its template they run on to another version, with the
 * engine's public migration API: a plan of equal activities per source version (timers and message waits updated
 * as asked), validated, and executed as one engine batch per source version. The batch is the state of the
 * migration (its jobs, retries, incidents, job log and historic batch); table {@code campaign_migration} only
 * links a batch to the campaign that asked for it.
 */
@Service
class TemplateMigrations {

    static final String TIMER = "TIMER";
    static final String MESSAGE = "MESSAGE";
    static final String SIGNAL = "SIGNAL";

    /** How the engine names the process instance a migration job failed on. */
    private static final Pattern FAILED_JOURNEY = Pattern.compile("[Pp]rocess instance '([^']+)'");

    private static final int MAX_TEMPLATE = 255;
    private static final int MAX_MESSAGE = 2_000;

    private final Campaigns campaigns;
    private final RuntimeService runtime;
    private final RepositoryService repository;
    private final ManagementService management;
    private final HistoryService history;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    TemplateMigrations(
            Campaigns campaigns,
            RuntimeService runtime,
            RepositoryService repository,
            ManagementService management,
            HistoryService history,
            JdbcTemplate jdbc,
            TransactionTemplate transactions,
            Clock clock) {
        this.campaigns = campaigns;
        this.runtime = runtime;
        this.repository = repository;
        this.management = management;
        this.history = history;
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * A dry run (what would move, what stays, what becomes of timers and message waits) or, with
     * {@code dryRun: false}, the same plan started as the engine's batches. 404 for an unknown campaign, 422
     * naming the field for a target that is not the campaign's template or version, 409 while a migration of the
     * campaign runs.
     */
    MigrationPlanView migrate(String campaignId, MigrationRequest request, String requestedBy) {
        Campaign campaign = campaigns.get(campaignId);
        ProcessDefinition target = target(campaign, request);
        if (request.isDryRun()) {
            return plan(campaign, target, request.isUpdateTimers(), false).view(List.of());
        }
        return transactions.execute(tx -> {
            lock(campaignId);
            List<String> running = runningBatches(campaignId);
            if (!running.isEmpty()) {
                throw Refusal.conflict(
                        "A migration of campaign " + campaignId + " is running (batch " + String.join(", ", running)
                                + "); wait for it to end, or end it in Cockpit's batch view, before starting another.",
                        List.of(new FieldViolation("targetVersion", "a migration of the campaign is running")));
            }
            Planned planned = plan(campaign, target, request.isUpdateTimers(), true);
            if (planned.migrating() == 0) {
                throw Refusal.invalid(
                        "targetVersion",
                        "no running journey of the campaign can move to version " + target.getVersion()
                                + ": nothing to migrate");
            }
            List<MigrationPlanView.Started> started = new ArrayList<>();
            Instant now = clock.instant();
            for (SourcePlan source : planned.sources()) {
                if (source.migrating() == 0) {
                    continue;
                }
                Batch batch = runtime.newMigration(source.plan())
                        .processInstanceQuery(source.query())
                        .executeAsync();
                jdbc.update(
                        "insert into campaign_migration (batch_id, campaign_key, source_definition_id, "
                                + "target_definition_id, update_timers, journeys, requested_by, requested_at) "
                                + "values (?, ?, ?, ?, ?, ?, ?, ?)",
                        batch.getId(),
                        campaignId,
                        source.definition().getId(),
                        target.getId(),
                        request.isUpdateTimers(),
                        source.migrating(),
                        requestedBy == null ? "unknown" : requestedBy,
                        Timestamps.utc(now));
                started.add(new MigrationPlanView.Started(
                        batch.getId(),
                        source.definition().getVersion(),
                        source.migrating(),
                        "/api/campaigns/" + campaignId + "/migrations/" + batch.getId()));
            }
            return planned.view(started);
        });
    }

    /** The campaign's migrations, newest first. */
    List<MigrationReport> reports(String campaignId) {
        Campaign campaign = campaigns.get(campaignId);
        return jdbc
                .query(
                        "select * from campaign_migration where campaign_key = ? order by requested_at desc, batch_id",
                        (rs, row) -> new Link(
                                rs.getString("batch_id"),
                                rs.getString("source_definition_id"),
                                rs.getString("target_definition_id"),
                                rs.getBoolean("update_timers"),
                                rs.getLong("journeys"),
                                rs.getString("requested_by"),
                                rs.getObject("requested_at", OffsetDateTime.class)
                                        .toInstant()),
                        campaignId)
                .stream()
                .map(link -> report(campaign, link))
                .toList();
    }

    /** One migration of the campaign; 404 when the campaign or the batch (as one of the campaign's) is unknown. */
    MigrationReport report(String campaignId, String batchId) {
        Campaign campaign = campaigns.get(campaignId);
        return reports(campaign.id()).stream()
                .filter(report -> report.batchId().equals(batchId))
                .findFirst()
                .orElseThrow(() -> Refusal.notFound("Campaign " + campaignId + " has no migration " + batchId + "."));
    }

    // ---- the target

    private ProcessDefinition target(Campaign campaign, MigrationRequest request) {
        Violations violations = new Violations();
        if (request == null) {
            throw Refusal.invalid("targetVersion", "is required");
        }
        if (request.template() != null
                && violations.withinLength("template", request.template(), MAX_TEMPLATE)
                && !request.template().equals(campaign.template())) {
            violations.add(
                    "template", "is not the template of campaign " + campaign.id() + " (" + campaign.template() + ")");
        }
        if (request.targetVersion() == null) {
            violations.add("targetVersion", "is required");
        } else if (request.targetVersion() < 1) {
            violations.add("targetVersion", "must be a version number, 1 or more");
        }
        violations.throwIfAny();
        ProcessDefinition target = repository
                .createProcessDefinitionQuery()
                .processDefinitionKey(campaign.template())
                .processDefinitionVersion(request.targetVersion())
                .singleResult();
        if (target == null) {
            ProcessDefinition latest = repository
                    .createProcessDefinitionQuery()
                    .processDefinitionKey(campaign.template())
                    .latestVersion()
                    .singleResult();
            throw Refusal.invalid(
                    "targetVersion",
                    "template " + campaign.template() + " has no version " + request.targetVersion()
                            + (latest == null ? " (it is not deployed)" : " (latest: " + latest.getVersion() + ")"));
        }
        return target;
    }

    // ---- the plan

    record SourcePlan(
            ProcessDefinition definition,
            long journeys,
            long migrating,
            long staying,
            List<MigrationPlanView.Step> steps,
            MigrationPlan plan,
            ProcessInstanceQuery query) {}

    record Planned(
            Campaign campaign,
            ProcessDefinition target,
            boolean updateTimers,
            boolean execute,
            List<SourcePlan> sources) {

        long migrating() {
            return sources.stream().mapToLong(SourcePlan::migrating).sum();
        }

        MigrationPlanView view(List<MigrationPlanView.Started> batches) {
            return new MigrationPlanView(
                    campaign.id(),
                    campaign.template(),
                    target.getVersion(),
                    target.getId(),
                    !execute,
                    updateTimers,
                    migrating(),
                    sources.stream().mapToLong(SourcePlan::staying).sum(),
                    sources.stream()
                            .map(s -> new MigrationPlanView.Source(
                                    s.definition().getVersion(),
                                    s.definition().getId(),
                                    s.journeys(),
                                    s.migrating(),
                                    s.staying(),
                                    s.steps()))
                            .toList(),
                    batches);
        }
    }

    private Planned plan(Campaign campaign, ProcessDefinition target, boolean updateTimers, boolean execute) {
        String journeysOfCampaign = campaign.id() + ":%";
        List<ProcessDefinition> versions = repository
                .createProcessDefinitionQuery()
                .processDefinitionKey(campaign.template())
                .orderByProcessDefinitionVersion()
                .asc()
                .list();
        List<FieldViolation> invalid = new ArrayList<>();
        List<SourcePlan> sources = new ArrayList<>();
        long onTarget = 0;
        BpmnModelInstance targetModel = null;
        for (ProcessDefinition source : versions) {
            long journeys = journeys(source.getId(), journeysOfCampaign).count();
            if (source.getId().equals(target.getId())) {
                onTarget = journeys;
                continue;
            }
            if (journeys == 0) {
                continue;
            }
            if (targetModel == null) {
                targetModel = repository.getBpmnModelInstance(target.getId());
            }
            SourcePlan planned =
                    planSource(source, target, targetModel, journeys, journeysOfCampaign, updateTimers, invalid);
            if (planned != null) {
                sources.add(planned);
            }
        }
        if (!invalid.isEmpty()) {
            throw Refusal.invalid(
                    "The engine refuses the migration plan to version " + target.getVersion() + ": " + invalid.size()
                            + " instruction(s) fail.",
                    invalid);
        }
        if (sources.isEmpty() && onTarget > 0) {
            throw Refusal.invalid(
                    "targetVersion",
                    "is the version every running journey of the campaign is on already (" + target.getVersion() + ")");
        }
        return new Planned(campaign, target, updateTimers, execute, sources);
    }

    private ProcessInstanceQuery journeys(String definitionId, String businessKeyLike) {
        return runtime.createProcessInstanceQuery()
                .processDefinitionId(definitionId)
                .processInstanceBusinessKeyLike(businessKeyLike);
    }

    private SourcePlan planSource(
            ProcessDefinition source,
            ProcessDefinition target,
            BpmnModelInstance targetModel,
            long journeys,
            String businessKeyLike,
            boolean updateTimers,
            List<FieldViolation> invalid) {
        BpmnModelInstance sourceModel = repository.getBpmnModelInstance(source.getId());
        MigrationPlan plan;
        try {
            MigrationPlan equal = runtime.createMigrationPlan(source.getId(), target.getId())
                    .mapEqualActivities()
                    .build();
            MigrationPlanBuilder builder = runtime.createMigrationPlan(source.getId(), target.getId());
            for (MigrationInstruction instruction : equal.getInstructions()) {
                var mapped =
                        builder.mapActivities(instruction.getSourceActivityId(), instruction.getTargetActivityId());
                builder = updatesTrigger(
                                sourceModel.getModelElementById(instruction.getSourceActivityId()),
                                targetModel.getModelElementById(instruction.getTargetActivityId()),
                                updateTimers)
                        ? mapped.updateEventTrigger()
                        : mapped;
            }
            plan = builder.build();
        } catch (MigrationPlanValidationException e) {
            for (MigrationInstructionValidationReport report :
                    e.getValidationReport().getInstructionReports()) {
                MigrationInstruction instruction = report.getMigrationInstruction();
                for (String failure : report.getFailures()) {
                    invalid.add(new FieldViolation(
                            "targetVersion",
                            "version " + source.getVersion() + " " + instruction.getSourceActivityId() + " → "
                                    + instruction.getTargetActivityId() + ": " + failure));
                }
            }
            if (!e.getValidationReport().hasInstructionReports()) {
                invalid.add(
                        new FieldViolation("targetVersion", "version " + source.getVersion() + ": " + e.getMessage()));
            }
            return null;
        }
        Map<String, String> instructions = new LinkedHashMap<>();
        plan.getInstructions().forEach(i -> instructions.put(i.getSourceActivityId(), i.getTargetActivityId()));

        List<MigrationPlanView.Step> steps = new ArrayList<>();
        Set<String> mappedWaiting = new LinkedHashSet<>();
        Set<String> unmappedWaiting = new LinkedHashSet<>();
        for (FlowNode node : sourceModel.getModelElementsByType(FlowNode.class)) {
            long waiting = journeys(source.getId(), businessKeyLike)
                    .activityIdIn(node.getId())
                    .count();
            if (waiting == 0) {
                continue;
            }
            String targetId = instructions.get(node.getId());
            FlowNode targetNode = targetId == null ? null : targetModel.getModelElementById(targetId);
            (targetId == null ? unmappedWaiting : mappedWaiting).add(node.getId());
            steps.add(step(node, targetNode, waiting, target.getVersion(), source.getVersion(), updateTimers));
        }
        steps.sort(Comparator.comparing(MigrationPlanView.Step::journeys)
                .reversed()
                .thenComparing(MigrationPlanView.Step::activityId));
        long staying = unmappedWaiting.isEmpty()
                ? 0
                : journeys(source.getId(), businessKeyLike)
                        .activityIdIn(unmappedWaiting.toArray(String[]::new))
                        .count();
        ProcessInstanceQuery migrating = mappedWaiting.isEmpty()
                ? null
                : journeys(source.getId(), businessKeyLike).activityIdIn(mappedWaiting.toArray(String[]::new));
        return new SourcePlan(
                source, journeys, migrating == null ? 0 : migrating.count(), staying, steps, plan, migrating);
    }

    private MigrationPlanView.Step step(
            FlowNode node,
            FlowNode targetNode,
            long waiting,
            int targetVersion,
            int sourceVersion,
            boolean updateTimers) {
        if (targetNode == null) {
            return new MigrationPlanView.Step(
                    node.getId(),
                    node.getName(),
                    waiting,
                    null,
                    null,
                    false,
                    events(node, null, updateTimers),
                    "version " + targetVersion + " has no step " + node.getId()
                            + ": the engine would refuse to migrate these journeys, so they stay on version "
                            + sourceVersion + " and go on along its path");
        }
        List<MigrationPlanView.Event> events = events(node, targetNode, updateTimers);
        return new MigrationPlanView.Step(
                node.getId(),
                node.getName(),
                waiting,
                targetNode.getId(),
                targetNode.getName(),
                true,
                events,
                "these journeys move to " + targetNode.getId() + " of version " + targetVersion
                        + " and go on along its path from there");
    }

    // ---- timers and message waits

    /** An event trigger's kind and definition (a timer's expression, a message's or signal's name). */
    record Trigger(String kind, String definition) {}

    static Optional<Trigger> trigger(ModelElementInstance element) {
        if (element instanceof ReceiveTask task) {
            return Optional.of(new Trigger(
                    MESSAGE, task.getMessage() == null ? "" : task.getMessage().getName()));
        }
        if (!(element instanceof CatchEvent event)) {
            return Optional.empty();
        }
        for (EventDefinition definition : event.getEventDefinitions()) {
            if (definition instanceof TimerEventDefinition timer) {
                String text = timer.getTimeDuration() != null
                        ? "duration " + timer.getTimeDuration().getTextContent()
                        : timer.getTimeDate() != null
                                ? "date " + timer.getTimeDate().getTextContent()
                                : timer.getTimeCycle() != null
                                        ? "cycle " + timer.getTimeCycle().getTextContent()
                                        : "";
                return Optional.of(new Trigger(TIMER, text.trim()));
            }
            if (definition instanceof MessageEventDefinition message) {
                return Optional.of(new Trigger(
                        MESSAGE,
                        message.getMessage() == null ? "" : message.getMessage().getName()));
            }
            if (definition instanceof SignalEventDefinition signal) {
                return Optional.of(new Trigger(
                        SIGNAL,
                        signal.getSignal() == null ? "" : signal.getSignal().getName()));
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the instruction updates the event trigger: a changed timer when the analyst asks for it, a changed
     * message or signal always (otherwise the journey would wait for a message the new version no longer names),
     * and an event of another kind (a timer become a message wait), which would otherwise keep a trigger its new
     * step does not have.
     */
    static boolean updatesTrigger(ModelElementInstance source, ModelElementInstance target, boolean updateTimers) {
        Optional<Trigger> from = trigger(source);
        Optional<Trigger> to = trigger(target);
        if (from.isEmpty() || to.isEmpty()) {
            return false;
        }
        if (!from.get().kind().equals(to.get().kind())) {
            return true;
        }
        if (from.get().equals(to.get())) {
            return false;
        }
        return !TIMER.equals(from.get().kind()) || updateTimers;
    }

    /** The event-receiving elements a journey waiting at the node has triggers of. */
    static List<FlowNode> waitsAt(FlowNode node) {
        List<FlowNode> waits = new ArrayList<>();
        if (node == null) {
            return waits;
        }
        if (trigger(node).isPresent()) {
            waits.add(node);
        }
        if (node instanceof EventBasedGateway) {
            for (SequenceFlow flow : node.getOutgoing()) {
                if (trigger(flow.getTarget()).isPresent()) {
                    waits.add(flow.getTarget());
                }
            }
        }
        for (BoundaryEvent boundary : node.getModelInstance().getModelElementsByType(BoundaryEvent.class)) {
            if (boundary.getAttachedTo() != null
                    && boundary.getAttachedTo().getId().equals(node.getId())
                    && trigger(boundary).isPresent()) {
                waits.add(boundary);
            }
        }
        for (ModelElementInstance scope = node.getParentElement(); scope != null; scope = scope.getParentElement()) {
            for (SubProcess sub : scope.getChildElementsByType(SubProcess.class)) {
                if (sub.triggeredByEvent() && !sub.equals(node)) {
                    for (StartEvent start : sub.getChildElementsByType(StartEvent.class)) {
                        if (trigger(start).isPresent()) {
                            waits.add(start);
                        }
                    }
                }
            }
        }
        return waits;
    }

    private static List<MigrationPlanView.Event> events(FlowNode node, FlowNode targetNode, boolean updateTimers) {
        List<MigrationPlanView.Event> events = new ArrayList<>();
        List<FlowNode> targetWaits = waitsAt(targetNode);
        Set<String> seen = new LinkedHashSet<>();
        for (FlowNode wait : waitsAt(node)) {
            seen.add(wait.getId());
            Trigger from = trigger(wait).orElseThrow();
            Trigger to = targetNode == null
                    ? null
                    : targetWaits.stream()
                            .filter(t -> t.getId().equals(wait.getId()))
                            .findFirst()
                            .flatMap(TemplateMigrations::trigger)
                            .orElse(null);
            events.add(event(wait.getId(), from, to, targetNode == null, updateTimers));
        }
        for (FlowNode wait : targetWaits) {
            if (!seen.contains(wait.getId())) {
                Trigger to = trigger(wait).orElseThrow();
                events.add(new MigrationPlanView.Event(
                        wait.getId(),
                        to.kind(),
                        null,
                        to.definition(),
                        true,
                        "ADDED",
                        TIMER.equals(to.kind())
                                ? "the new version's timer starts with the migration: its due date counts from then"
                                : "the journey waits for this " + to.kind().toLowerCase()
                                        + " too from the migration on"));
            }
        }
        return events;
    }

    private static MigrationPlanView.Event event(
            String activityId, Trigger from, Trigger to, boolean stays, boolean updateTimers) {
        boolean timer = TIMER.equals(from.kind());
        if (stays) {
            return new MigrationPlanView.Event(
                    activityId,
                    from.kind(),
                    from.definition(),
                    null,
                    false,
                    timer ? "KEEPS_DUE_DATE" : "MOVES",
                    "the journey stays on its version: this " + (timer ? "timer" : "wait") + " is unchanged");
        }
        if (to == null) {
            return new MigrationPlanView.Event(
                    activityId,
                    from.kind(),
                    from.definition(),
                    null,
                    true,
                    "REMOVED",
                    "the new version has no such " + (timer ? "timer" : "wait") + ": it ends with the migration");
        }
        if (!from.kind().equals(to.kind())) {
            return new MigrationPlanView.Event(
                    activityId,
                    from.kind(),
                    from.definition(),
                    to.kind() + " " + to.definition(),
                    true,
                    "REPLACED",
                    "the new version waits for a " + to.kind().toLowerCase() + " here instead: the "
                            + from.kind().toLowerCase() + " ends with the migration and the new wait starts then");
        }
        boolean changed = !from.equals(to);
        if (timer) {
            if (!changed) {
                return new MigrationPlanView.Event(
                        activityId,
                        from.kind(),
                        from.definition(),
                        to.definition(),
                        false,
                        "KEEPS_DUE_DATE",
                        "the timer is the same in both versions: it keeps its due date");
            }
            return updateTimers
                    ? new MigrationPlanView.Event(
                            activityId,
                            from.kind(),
                            from.definition(),
                            to.definition(),
                            true,
                            "RECOMPUTED",
                            "the timer is computed anew from the new version's definition, counted from the moment the "
                                    + "journey is migrated (not from when the wait began)")
                    : new MigrationPlanView.Event(
                            activityId,
                            from.kind(),
                            from.definition(),
                            to.definition(),
                            true,
                            "KEEPS_DUE_DATE",
                            "the new version defines this timer differently, but it keeps the due date the old "
                                    + "version gave it (ask with updateTimers: true to compute it anew)");
        }
        return changed
                ? new MigrationPlanView.Event(
                        activityId,
                        from.kind(),
                        from.definition(),
                        to.definition(),
                        true,
                        "UPDATED",
                        "the journey waits for the new version's " + from.kind().toLowerCase()
                                + " from the migration on")
                : new MigrationPlanView.Event(
                        activityId,
                        from.kind(),
                        from.definition(),
                        to.definition(),
                        false,
                        "MOVES",
                        "the wait moves with the journey: a " + from.kind().toLowerCase()
                                + " that arrives later still wakes it");
    }

    // ---- batches

    record Link(
            String batchId,
            String sourceDefinitionId,
            String targetDefinitionId,
            boolean updateTimers,
            long journeys,
            String requestedBy,
            Instant requestedAt) {}

    private void lock(String campaignId) {
        List<String> found = jdbc.queryForList(
                "select campaign_key from campaign where campaign_key = ? for update", String.class, campaignId);
        if (found.isEmpty()) {
            throw Refusal.notFound("No campaign " + campaignId + ".");
        }
    }

    private List<String> runningBatches(String campaignId) {
        return jdbc
                .queryForList(
                        "select batch_id from campaign_migration where campaign_key = ? order by requested_at",
                        String.class,
                        campaignId)
                .stream()
                .filter(id -> management.createBatchQuery().batchId(id).count() > 0)
                .toList();
    }

    private MigrationReport report(Campaign campaign, Link link) {
        Batch running = management.createBatchQuery().batchId(link.batchId()).singleResult();
        HistoricBatch ended =
                history.createHistoricBatchQuery().batchId(link.batchId()).singleResult();
        String jobDefinition = running != null
                ? running.getBatchJobDefinitionId()
                : ended == null ? null : ended.getBatchJobDefinitionId();
        int perJob = running != null
                ? running.getInvocationsPerBatchJob()
                : ended == null ? 1 : ended.getInvocationsPerBatchJob();
        long total = link.journeys();
        long migrated = jobDefinition == null
                ? 0
                : Math.min(
                        total,
                        history.createHistoricJobLogQuery()
                                        .jobDefinitionId(jobDefinition)
                                        .successLog()
                                        .count()
                                * Math.max(1, perJob));
        List<MigrationReport.Failure> failures = new ArrayList<>();
        if (running != null) {
            for (Job job : management
                    .createJobQuery()
                    .jobDefinitionId(jobDefinition)
                    .withException()
                    .orderByJobId()
                    .asc()
                    .list()) {
                String message = job.getExceptionMessage() == null ? "" : job.getExceptionMessage();
                Matcher journey = FAILED_JOURNEY.matcher(message);
                failures.add(new MigrationReport.Failure(
                        journey.find() ? journey.group(1) : null,
                        message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message,
                        job.getRetries()));
            }
        }
        long failed = failures.stream().filter(f -> f.retriesLeft() == 0).count();
        long retrying = failures.size() - failed;
        String state = running != null
                ? running.isSuspended() ? "SUSPENDED" : "RUNNING"
                : ended != null && ended.getEndTime() != null
                        ? migrated >= total ? "COMPLETED" : "CANCELLED"
                        : "UNKNOWN";
        return new MigrationReport(
                link.batchId(),
                campaign.id(),
                campaign.template(),
                version(link.sourceDefinitionId()),
                version(link.targetDefinitionId()),
                link.updateTimers(),
                link.requestedBy(),
                link.requestedAt(),
                state,
                ended == null || ended.getEndTime() == null
                        ? null
                        : ended.getEndTime().toInstant(),
                new MigrationReport.Journeys(total, migrated, failed, retrying, Math.max(0, total - migrated - failed)),
                failures);
    }

    private int version(String definitionId) {
        ProcessDefinition definition = repository
                .createProcessDefinitionQuery()
                .processDefinitionId(definitionId)
                .singleResult();
        return definition == null ? 0 : definition.getVersion();
    }
}
