package io.loyalflow.testsupport;

import io.loyalflow.LoyalflowApplication;
import io.restassured.RestAssured;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The service in a JVM of its own, for tests that kill it, starve its heap or need it apart from the
 * test's Spring contexts: started from the test run's classpath, on a free port, with its output in a log
 * file; {@link #start} returns once its health endpoint answers.
 */
public final class ServiceProcess {

    public final Process process;
    public final int port;
    public final Path log;

    private ServiceProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /**
     * @param classpathFirst entries put before the test run's classpath (e.g. a hook's classes)
     * @param jvmOptions options of the JVM (heap size and the like)
     * @param arguments the service's arguments ({@code --name=value}); the port is chosen here
     */
    public static ServiceProcess start(
            Path log, List<String> classpathFirst, List<String> jvmOptions, List<String> arguments, Duration timeout)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // a short-lived service: quicker to start with the client compiler and the serial collector
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp", classpath(classpathFirst), LoyalflowApplication.class.getName(), "--server.port=" + port));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        ServiceProcess service = new ServiceProcess(process, port, log);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!service.healthy()) {
            if (!process.isAlive()) {
                throw new AssertionError("the service exited with " + process.exitValue() + ":\n" + service.tail());
            }
            if (System.nanoTime() > deadline) {
                service.stop();
                throw new AssertionError("the service did not answer within " + timeout + ":\n" + service.tail());
            }
            Thread.sleep(300);
        }
        return service;
    }

    /** Whether the service answers its health endpoint with 200. */
    public boolean healthy() {
        try {
            return RestAssured.given()
                            .port(port)
                            .get("/actuator/health")
                            .then()
                            .extract()
                            .statusCode()
                    == 200;
        } catch (Exception notYet) { // refused until it listens (thrown unchecked by rest-assured)
            return false;
        }
    }

    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The log's last 60 lines, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The test run's classpath without the test classes, whose nested test configurations would be scanned. */
    private static String classpath(List<String> first) {
        String testClasses;
        try {
            testClasses = Path.of(ServiceProcess.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return Stream.concat(
                        first.stream(),
                        Arrays.stream(System.getProperty(
                                                "surefire.test.class.path", System.getProperty("java.class.path"))
                                        .split(File.pathSeparator))
                                .filter(entry -> !Path.of(entry).toString().equals(testClasses)))
                .collect(Collectors.joining(File.pathSeparator));
    }
}
