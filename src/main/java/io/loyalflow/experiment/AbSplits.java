package io.loyalflow.experiment;

import java.util.List;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.springframework.stereotype.Service;

/**
 * What an "A/B split" step does: checks the step's inputs and that every arm of its weights has a
 * branch of its own after it (else the step refuses to run: an incident on it), then puts the customer
 * into one arm. In a campaign's journey the split is also an experiment ({@link Experiments}): created on the
 * first visit, and once a winner is applied new entries take the winner (the control arm keeps its share).
 */
@Service
class AbSplits {

    /** One split step as its journey reaches it: the task and its inputs. */
    record Split(
            FlowNode task,
            String experimentKey,
            String arms,
            String armVariable,
            String customerId,
            String processInstanceId,
            String campaignId) {

        /** How refusals name the step. */
        String step() {
            return "A/B split '" + (task.getName() == null ? task.getId() : task.getName()) + "'";
        }
    }

    private final ExperimentAssignments assignments;
    private final Experiments experiments;

    AbSplits(ExperimentAssignments assignments, Experiments experiments) {
        this.assignments = assignments;
        this.experiments = experiments;
    }

    /** The customer's arm in the split's experiment. */
    String assign(Split split) {
        String experimentKey = split.experimentKey();
        if (experimentKey == null || experimentKey.isBlank() || experimentKey.length() > 100) {
            throw new IllegalArgumentException(split.step() + ": experimentKey must be 1 to 100 characters");
        }
        if (split.customerId() == null || split.customerId().isBlank()) {
            throw new IllegalArgumentException(
                    split.step() + ": no customerId (an input of the task or a process variable)");
        }
        Arms arms = routedArms(split);
        String key = experimentKey.trim();
        if (split.campaignId() != null) {
            // a campaign's journey: the split is one of the campaign's experiments, whose applied winner decides
            experiments.reached(
                    key, split.campaignId(), split.task(), split.arms().trim(), arms);
            arms = experiments.effective(key, arms);
        }
        return assignments.armOf(key, split.customerId(), arms, split.processInstanceId());
    }

    /** The weights, refused unless every arm has a branch of its own after the step (else: an incident on it). */
    private static Arms routedArms(Split split) {
        Arms arms;
        try {
            arms = Arms.parse(split.arms());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(split.step() + ": arms: " + e.getMessage(), e);
        }
        List<String> faults =
                ArmBranches.after(split.task(), split.armVariable()).faults(arms);
        if (!faults.isEmpty()) {
            throw new IllegalArgumentException(split.step() + ": " + String.join("; ", faults));
        }
        return arms;
    }
}
