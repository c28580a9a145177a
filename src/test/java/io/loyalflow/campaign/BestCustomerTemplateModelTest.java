package io.loyalflow.campaign;

import static io.loyalflow.journey.BestCustomerProcess.Element.TASK_SEND_SERIES_EMAIL;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.journey.AdvocateReferralProcess;
import io.loyalflow.journey.BestCustomerProcess;
import io.loyalflow.journey.SatisfactionSurveyProcess;
import io.loyalflow.journey.ValueSegmentUpgradeProcess;
import io.loyalflow.journey.WinBackProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** What activation checks and test sends learn from a model: its series steps, variants, smart send and team task. */
class BestCustomerTemplateModelTest {

    private static TemplateModel model(String key) throws IOException {
        return TemplateModel.of(key, 1, Files.readString(Path.of("bpmn", key + ".bpmn")));
    }

    @Test
    void theBestCustomerTemplateAsksForASeriesAVariantSmartSendAndATeamTask() throws IOException {
        TemplateModel model = model(BestCustomerProcess.KEY);
        assertThat(model.seriesSteps())
                .containsExactly(java.util.Map.entry(TASK_SEND_SERIES_EMAIL.id(), "Send the series e-mail"));
        assertThat(model.variants()).containsExactly("PREDICTIVE", "STANDARD");
        assertThat(model.usesSmartSend()).isTrue();
        assertThat(model.usesTeamTask()).isTrue();
        // the series step takes no message from settings.messages
        assertThat(model.emailSteps()).isEmpty();
        assertThat(model.smsSteps()).isEmpty();
    }

    @Test
    void otherTemplatesAskForNoneOfThem() throws IOException {
        for (String key : new String[] {
            WinBackProcess.KEY,
            ValueSegmentUpgradeProcess.KEY,
            AdvocateReferralProcess.KEY,
            SatisfactionSurveyProcess.KEY
        }) {
            TemplateModel model = model(key);
            assertThat(model.seriesSteps()).as(key).isEmpty();
            assertThat(model.variants()).as(key).isEmpty();
            assertThat(model.usesSmartSend()).as(key).isFalse();
            assertThat(model.usesTeamTask()).as(key).isFalse();
            assertThat(model.including(model(BestCustomerProcess.KEY)).seriesSteps())
                    .as(key)
                    .hasSize(1);
        }
    }
}
