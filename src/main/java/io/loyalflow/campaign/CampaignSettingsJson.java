package io.loyalflow.campaign;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.loyalflow.campaign.CampaignSettings.SeriesEmail;
import java.util.TreeMap;

/**
 * Campaign settings as JSON, as stored and as the API shows them: what {@link CampaignSettingsParser} reads
 * back into equal settings. Maps in key order, unset parts left out.
 */
final class CampaignSettingsJson {

    private CampaignSettingsJson() {}

    static JsonNode toJson(CampaignSettings settings) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode node = f.objectNode();
        if (settings.audience() != null) {
            ObjectNode a = node.putObject("audience")
                    .put("segment", settings.audience().segment());
            if (settings.audience().conditions() != null) {
                a.set("conditions", settings.audience().conditions());
            }
        }
        ObjectNode t =
                node.putObject("trigger").put("type", settings.trigger().type().name());
        if (settings.trigger().firstOrderMaxAge() != null) {
            t.put("firstOrderMaxAge", settings.trigger().firstOrderMaxAge());
        }
        if (settings.trigger().orderMaxAge() != null) {
            t.put("orderMaxAge", settings.trigger().orderMaxAge());
        }
        if (settings.trigger().every() != null) {
            t.put("every", settings.trigger().every());
        }
        if (settings.sender() != null) {
            ObjectNode s =
                    node.putObject("sender").put("email", settings.sender().email());
            if (settings.sender().name() != null) {
                s.put("name", settings.sender().name());
            }
        }
        ObjectNode m = node.putObject("messages");
        new TreeMap<>(settings.messages()).forEach((step, message) -> {
            ObjectNode one = m.putObject(step);
            if (message.templateId() != null) {
                one.put("templateId", message.templateId());
            }
            if (message.templateData() != null) {
                one.set("templateData", message.templateData());
            }
            if (message.smsText() != null) {
                one.put("smsText", message.smsText());
            }
        });
        ObjectNode w = node.putObject("waits");
        new TreeMap<>(settings.waits()).forEach(w::put);
        ObjectNode ab = node.putObject("arms");
        new TreeMap<>(settings.arms()).forEach(ab::put);
        if (settings.followUp() != null) {
            node.put("followUp", settings.followUp());
        }
        ObjectNode r = node.putObject("reentry")
                .put("policy", settings.reentry().policy().name());
        if (settings.reentry().days() != null) {
            r.put("days", settings.reentry().days());
        }
        node.put("exitGoal", settings.exitGoal().name());
        ObjectNode o = node.putObject("options");
        new TreeMap<>(settings.options()).forEach(o::put);
        if (settings.variant() != null) {
            node.put("variant", settings.variant().name());
        }
        if (!settings.series().isEmpty()) {
            ArrayNode list = node.putArray("series");
            for (SeriesEmail email : settings.series()) {
                ObjectNode one = list.addObject();
                if (email.templateId() != null) {
                    one.put("templateId", email.templateId());
                }
                if (email.templateData() != null) {
                    one.set("templateData", email.templateData());
                }
                if (email.after() != null) {
                    one.put("after", email.after());
                }
                if (email.sender() != null) {
                    ObjectNode s =
                            one.putObject("sender").put("email", email.sender().email());
                    if (email.sender().name() != null) {
                        s.put("name", email.sender().name());
                    }
                }
                if (email.smartSend() != null) {
                    one.put("smartSend", email.smartSend());
                }
            }
        }
        if (settings.smartSend() != null) {
            node.putObject("smartSend").put("fallbackHour", settings.smartSend().fallbackHour());
        }
        if (settings.teamTask() != null) {
            ObjectNode task =
                    node.putObject("teamTask").put("title", settings.teamTask().title());
            if (settings.teamTask().candidateGroup() != null) {
                task.put("candidateGroup", settings.teamTask().candidateGroup());
            }
            if (settings.teamTask().description() != null) {
                task.put("description", settings.teamTask().description());
            }
        }
        // ---- attribution (campaign report) ----
        if (settings.attribution() != null) {
            node.putObject("attribution")
                    .put("emailWindow", settings.attribution().emailWindow())
                    .put("smsWindow", settings.attribution().smsWindow());
        }
        // ---- end attribution ----
        experiments(settings, node);
        if (settings.adAudience() != null) {
            node.put("adAudience", settings.adAudience());
        }
        return node;
    }

    /** settings.experiments: every field written out, so what is stored says what applies. */
    private static void experiments(CampaignSettings settings, ObjectNode node) {
        if (settings.experiments().isEmpty()) {
            return;
        }
        ObjectNode experiments = node.putObject("experiments");
        new TreeMap<>(settings.experiments()).forEach((step, experiment) -> {
            ObjectNode one = experiments
                    .putObject(step)
                    .put("metric", experiment.metric().name())
                    .put("minSample", experiment.minSample())
                    .put("threshold", experiment.threshold())
                    .put("applyWinner", experiment.applyWinner())
                    .put("controlArm", experiment.controlArm());
            if (experiment.window() != null) {
                one.put("window", experiment.window());
            }
        });
    }
}
