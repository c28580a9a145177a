package io.loyalflow.campaign;

import static io.loyalflow.journey.AdvocateReferralProcess.Element.TASK_SPLIT_INCENTIVE;
import static io.loyalflow.journey.ValueSegmentUpgradeProcess.Element.TASK_SPLIT_REMINDER;
import static org.assertj.core.api.Assertions.assertThat;

import io.loyalflow.experiment.Arms;
import io.loyalflow.experiment.ExperimentSetting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every A/B split in the shipped models routes each of its arms through a branch of its own, and each
 * branch is an arm its default weights name, or the control arm (a holdout), which has a branch but no
 * default weight: no arm can fall into another arm's branch, and nobody is held out unless a campaign says so.
 */
class ShippedSplitArmsTest {

    static Stream<Path> models() throws IOException {
        return Files.list(Path.of("bpmn"))
                .filter(p -> p.toString().endsWith(".bpmn"))
                .sorted();
    }

    private static TemplateModel model(Path file) throws IOException {
        String key = file.getFileName().toString().replace(".bpmn", "");
        return TemplateModel.of(key, 1, Files.readString(file));
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyArmOfEverySplitHasABranchOfItsOwn(Path file) throws IOException {
        model(file).splits().forEach((step, split) -> {
            assertThat(split.branches().modelFaults()).as("%s %s", file, step).isEmpty();
            assertThat(split.defaultArms())
                    .as("%s %s: default weights the check can read", file, step)
                    .isNotNull();
            Arms arms = Arms.parse(split.defaultArms());
            assertThat(split.branches().unrouted(arms))
                    .as("%s %s: arms without a branch", file, step)
                    .isEmpty();
            List<String> armsAndControl = new ArrayList<>(arms.names());
            armsAndControl.add(ExperimentSetting.DEFAULT_CONTROL_ARM);
            assertThat(armsAndControl)
                    .as("%s %s: arms and branches", file, step)
                    .containsExactlyInAnyOrderElementsOf(split.branches().arms());
            assertThat(arms.isOpen(ExperimentSetting.DEFAULT_CONTROL_ARM))
                    .as("%s %s: held out by default", file, step)
                    .isFalse();
        });
    }

    @Test
    void theShippedSplitsAreFound() throws IOException {
        Map<String, TemplateModel.Split> upgrade =
                model(Path.of("bpmn/value-segment-upgrade.bpmn")).splits();
        assertThat(upgrade).containsOnlyKeys(TASK_SPLIT_REMINDER.id());
        assertThat(upgrade.get(TASK_SPLIT_REMINDER.id()).settingsKey()).isEqualTo(TASK_SPLIT_REMINDER.id());
        assertThat(upgrade.get(TASK_SPLIT_REMINDER.id()).branches().arms()).containsExactly("A", "B", "CONTROL");
        Map<String, TemplateModel.Split> advocate =
                model(Path.of("bpmn/advocate-referral.bpmn")).splits();
        assertThat(advocate).containsOnlyKeys(TASK_SPLIT_INCENTIVE.id());
        assertThat(advocate.get(TASK_SPLIT_INCENTIVE.id()).defaultArms()).isEqualTo("VOUCHER:50, REFERRAL_REMINDER:50");
        assertThat(advocate.get(TASK_SPLIT_INCENTIVE.id()).branches().arms())
                .containsExactlyInAnyOrder("VOUCHER", "REFERRAL_REMINDER", "CONTROL");
    }
}
