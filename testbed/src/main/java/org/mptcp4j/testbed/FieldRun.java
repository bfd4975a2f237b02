package org.mptcp4j.testbed;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The field-compatibility harness: a program built on a third-party stack (Netty, gRPC, Vert.x, ...),
 * unmodified, run in a child JVM in a fresh network namespace, with or without the agent. The child's
 * class path is the test's minus mptcp4j's own jars and JUnit, so the stack sees only itself and what
 * the agent brings. The kernel's MIB counters of the namespace say what really happened.
 */
public final class FieldRun {
    private FieldRun() {}

    /** The non-loopback address programs serve and connect on (a veth inside the namespace). */
    public static final String HOST = "198.18.0.1";

    /** What one run did: exit code, output (stdout and stderr), and the namespace's counters after it. */
    public record Outcome(int exit, String output, Map<String, Long> counters) {
        public long counter(String name) {
            return counters.getOrDefault(name, 0L);
        }

        /** MP_CAPABLE SYNs the listener took as MPTCP: a client and a listener both converted. */
        public long mptcpHandshakes() {
            return Math.min(counter("MPTcpExtMPCapableSYNRX"), counter("MPTcpExtMPCapableSYNACKRX"));
        }

        /** Lines of the output that start with {@code prefix}. */
        public List<String> lines(String prefix) {
            return output.lines().filter(l -> l.startsWith(prefix)).collect(Collectors.toList());
        }

        @Override
        public String toString() {
            return "exit " + exit + ", MPCapableSYNRX=" + counter("MPTcpExtMPCapableSYNRX") + " MPCapableSYNACKRX="
                    + counter("MPTcpExtMPCapableSYNACKRX") + "\n" + output;
        }
    }

    /**
     * Network namespaces need root: without it a test is skipped, except under {@code CI=true}, where a
     * test that cannot run is a failure.
     */
    public static void requireRoot() {
        if (!Netns.canCreate()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError("CI=true: needs root to create network namespaces");
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "needs root to create network namespaces");
        }
    }

    /** The agent jar under test ({@code -Dmptcp4j.agent.jar}, set by the build). */
    public static Path agentJar() {
        Path jar = Path.of(System.getProperty("mptcp4j.agent.jar", "../../agent/target/mptcp4j-agent.jar")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("agent jar not built: " + jar + " (run mvn package in agent/)");
        }
        return jar;
    }

    /** JVM options that load the agent with {@code args} (null: defaults). */
    public static List<String> agent(String args) {
        List<String> options = new ArrayList<>();
        options.add("-javaagent:" + agentJar() + (args == null ? "" : "=" + args));
        if (runGrantsNativeAccess()) {
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        return options;
    }

    /** Whether bin/mptcp4j run grants the agent native access here: on JDK 24+ where jffi does the calls (not x86_64). */
    public static boolean runGrantsNativeAccess() {
        return !System.getProperty("os.arch").equals("amd64") && Runtime.version().feature() >= 24;
    }

    /** The test class path without mptcp4j's own modules and the test framework: what the stack would run with. */
    public static String stackClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !isOurs(e) && !isTestFramework(e))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * The test class path without the agent, the testbed and the test framework: what an application that
     * depends on mptcp4j's library modules (provider, netty, ...) runs with.
     */
    public static String libraryClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !isTestFramework(e) && !e.replace('\\', '/').matches(".*/(agent|testbed)/target/classes/?$|.*/mptcp4j-(agent|testbed)[^/]*\\.jar$"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static boolean isOurs(String entry) {
        String e = entry.replace('\\', '/');
        return e.contains("/org/mptcp4j/") || e.matches(".*/(provider|agent|testbed|netty)/target/(test-)?classes/?$")
                || e.matches(".*/mptcp4j-[^/]*\\.jar$");
    }

    private static boolean isTestFramework(String entry) {
        String e = entry.replace('\\', '/');
        return e.contains("/junit") || e.contains("/opentest4j/") || e.contains("/apiguardian/")
                || e.contains("/surefire") || e.contains("/failsafe");
    }

    /** JVM options the library needs (what {@code Mptcp.requiredJvmFlags()} says, and native access on JDK 22+). */
    public static List<String> libraryOptions() {
        List<String> options = new ArrayList<>(List.of("--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.base/java.net=ALL-UNNAMED"));
        if (Runtime.version().feature() >= 22) {
            options.add("--enable-native-access=ALL-UNNAMED");
        }
        return options;
    }

    /**
     * Runs {@code mainClass args} as an application of mptcp4j's library modules ({@link #libraryClassPath()},
     * {@link #libraryOptions()}) in a fresh namespace with a local address and the given sysctls.
     */
    public static Outcome runLibrary(Map<String, String> sysctls, String mainClass, long seconds, String... args) throws IOException {
        return runJvm(sysctls, List.of(), libraryOptions(), libraryClassPath(), mainClass, seconds, args);
    }

    /**
     * Runs {@code mainClass args} on the stack's class path in a fresh namespace with a local address,
     * within {@code seconds}, and returns what happened; the namespace is removed in every case.
     */
    public static Outcome run(List<String> jvmOptions, String mainClass, long seconds, String... args) throws IOException {
        return run(List.of(), jvmOptions, mainClass, seconds, args);
    }

    /** As {@link #run(List, String, long, String...)}, on {@code classPath} (the stack's with another version of a jar). */
    public static Outcome runOn(String classPath, List<String> jvmOptions, String mainClass, long seconds, String... args) throws IOException {
        return runJvm(Map.of(), List.of(), jvmOptions, classPath, mainClass, seconds, args);
    }

    /** As {@link #run(List, String, long, String...)}, the JVM started behind {@code wrapper} ({@code mptcpize run}). */
    public static Outcome run(List<String> wrapper, List<String> jvmOptions, String mainClass, long seconds, String... args) throws IOException {
        return runJvm(Map.of(), wrapper, jvmOptions, stackClassPath(), mainClass, seconds, args);
    }

    private static Outcome runJvm(Map<String, String> sysctls, List<String> wrapper, List<String> jvmOptions, String classPath,
                                  String mainClass, long seconds, String... args) throws IOException {
        requireRoot();
        try (Netns ns = Netns.create("field").withLocalAddress(HOST + "/24")) {
            for (Map.Entry<String, String> s : sysctls.entrySet()) {
                ns.sysctl(s.getKey(), s.getValue());
            }
            List<String> command = new ArrayList<>(wrapper);
            command.add(ChildJvm.javaBinary());
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(classPath);
            command.add(mainClass);
            command.addAll(Arrays.asList(args));
            try (ChildJvm child = ChildJvm.startProgram(ns, command)) {
                int exit = child.await(seconds);
                return new Outcome(exit, child.output(), ns.nstat());
            }
        }
    }
}
