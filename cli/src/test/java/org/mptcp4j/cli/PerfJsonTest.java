package org.mptcp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Command;
import org.mptcp4j.testbed.Netns;

/**
 * {@code perf -J} reads like iperf3 3.12's {@code -J}: every key iperf3 writes is there with the same
 * JSON kind (and integers where iperf3 writes integers), for the client and the server, one stream or
 * several, sender or receiver; and one reader written for iperf3's JSON gets the same facts from both.
 * The reference is Debian's iperf3 run in the same namespace.
 */
class PerfJsonTest {
    static final String HOST = "198.18.0.1";
    Netns ns;
    int port = 5500;

    @BeforeEach
    void freshNamespace() throws Exception {
        boolean tools = Command.tryRun(10, "sh", "-c", "command -v iperf3 && command -v mptcpize").exit() == 0;
        if (!Netns.canCreate() || !tools) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true: needs root, iperf3 and mptcpize");
            }
            assumeTrue(false, "needs root, iperf3 and mptcpize");
        }
        ns = Netns.create("json").withLocalAddress(HOST + "/24");
    }

    @AfterEach
    void remove() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    @ParameterizedTest(name = "perf -c -J {0}")
    @ValueSource(strings = {"", "-R", "-P 2 -O 1"})
    void clientJsonHasIperf3sKeysAndKinds(String extra) throws Exception {
        JsonObject reference = iperf3Client(extra);
        JsonObject ours = perfClient(extra);
        Iperf3Shape.assertSameShape(reference, ours);
        Iperf3Shape.assertSameReading(reference, ours);
    }

    @ParameterizedTest(name = "perf -s -J, client {0}")
    @ValueSource(strings = {"", "-R"})
    void serverJsonHasIperf3sKeysAndKinds(String extra) throws Exception {
        JsonObject reference = server(List.of("iperf3", "-s", "-1", "-J"), extra);
        JsonObject ours = server(perfArgv("-s", "-1", "-J"), extra);
        Iperf3Shape.assertSameShape(reference, ours);
        Iperf3Shape.assertSameReading(reference, ours);
    }

    private JsonObject iperf3Client(String extra) throws Exception {
        int p = ++port;
        try (ChildJvm server = ChildJvm.startProgram(ns, List.of("iperf3", "-s", "-1", "-p", Integer.toString(p)))) {
            awaitListener(p);
            return parse(Command.run(60, argv(ns.execPrefix(), List.of("iperf3", "-c", HOST, "-p", Integer.toString(p)), extra)));
        }
    }

    private JsonObject perfClient(String extra) throws Exception {
        int p = ++port;
        try (ChildJvm server = ChildJvm.start(ns, ToolJvm.options(), Main.class, "perf", "-s", "-1", "-p", Integer.toString(p))) {
            server.awaitLine("Server listening", 30);
            try (ChildJvm client = ChildJvm.start(ns, ToolJvm.options(), Main.class,
                    argv(List.of(), List.of("perf", "-c", HOST, "-p", Integer.toString(p)), extra))) {
                assertEquals(0, client.await(60), client.output());
                return parse(client.output());
            }
        }
    }

    /** A server's JSON for one test driven by iperf3 under mptcpize. */
    private JsonObject server(List<String> serverArgv, String extra) throws Exception {
        int p = ++port;
        List<String> command = new ArrayList<>(serverArgv);
        command.addAll(List.of("-p", Integer.toString(p)));
        try (ChildJvm server = ChildJvm.startProgram(ns, command)) {
            awaitListener(p);
            Command.run(60, argv(ns.execPrefix(), List.of("mptcpize", "run", "iperf3", "-c", HOST, "-p", Integer.toString(p)), extra));
            assertEquals(0, server.await(30), server.output());
            return parse(server.output());
        }
    }

    private static List<String> perfArgv(String... args) {
        List<String> a = new ArrayList<>(List.of(ChildJvm.javaBinary()));
        a.addAll(ToolJvm.options());
        a.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName(), "perf"));
        a.addAll(List.of(args));
        return a;
    }

    /** {@code prefix tool -t 1 -i 0.5 -J extra}: short, with more than one interval. */
    private static String[] argv(List<String> prefix, List<String> tool, String extra) {
        List<String> a = new ArrayList<>(prefix);
        a.addAll(tool);
        a.addAll(List.of("-t", "1", "-i", "0.5", "-J"));
        if (!extra.isEmpty()) {
            a.addAll(List.of(extra.split(" ")));
        }
        return a.toArray(new String[0]);
    }

    private static JsonObject parse(String output) {
        try {
            return JsonParser.parseString(output).getAsJsonObject(); // the whole output is one document, nothing else
        } catch (RuntimeException e) {
            throw new AssertionError("not one JSON object: " + e.getMessage() + "\n" + output, e);
        }
    }

    private void awaitListener(int p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (ns.exec("ss", "-Hltn", "sport = :" + p).contains(":" + p)) {
                return;
            }
            Thread.sleep(20); // polling interval
        }
        fail("nothing listens on " + p);
    }
}
