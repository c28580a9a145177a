package io.loyalflow.testsupport;

import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/** Prints, at the end of a run, every kind of test that was skipped for want of a local service. */
public class SkippedTestsBanner implements TestExecutionListener {

    private static final Set<String> skipped = new ConcurrentSkipListSet<>();

    static void postgresSkipped(String reason) {
        skipped.add("PostgreSQL tests were SKIPPED: no PostgreSQL at " + TestDatabase.postgresServerUrl() + " ("
                + reason + "). Start it, or set LOYALFLOW_TEST_POSTGRES_URL; CI fails instead of skipping.");
    }

    static void browserSkipped(String reason) {
        skipped.add("Browser tests were SKIPPED: " + reason + ". Install Debian's chromium and chromium-driver; "
                + "CI fails instead of skipping.");
    }

    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        if (skipped.isEmpty()) {
            return;
        }
        String line = "!".repeat(100);
        StringBuilder banner = new StringBuilder("\n").append(line).append('\n');
        skipped.forEach(message -> banner.append("!!! ").append(message).append('\n'));
        banner.append(line).append('\n');
        System.err.println(banner);
        System.out.println(banner);
    }
}
