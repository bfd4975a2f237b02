package org.mptcp4j.compat.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.FieldRun;
import org.mptcp4j.testbed.Netns;

/**
 * A real Spring Boot application with the starter, packaged by spring-boot-maven-plugin and started as
 * {@code java -jar app.jar} (no JVM flag: the manifest carries them), in a fresh namespace. Judged by the
 * kernel's counters: MPCapableSYNACKRX counts clients that got an MPTCP answer, MPCapableSYNRX listeners
 * that got an MPTCP SYN. The peers are Python's HTTP client and server, under {@code mptcpize run} when
 * they must speak MPTCP. The same class runs on Boot 3.5 and (scanned from this test-jar) Boot 4.0.
 */
class SpringBootStarterTest {
    static final int SIZE = 1 << 20;
    static final int APP_PORT = 8080;
    static final int PEER_PORT = 8000;

    /** The applications with MPTCP on, one per embedded server, shared by the tests that only read from them. */
    static final Map<String, World> SHARED = new HashMap<>();

    @AfterAll
    static void stopShared() throws IOException {
        IOException failed = null;
        for (World w : SHARED.values()) {
            try {
                w.close();
            } catch (IOException e) {
                failed = failed == null ? e : failed;
            }
        }
        SHARED.clear();
        if (failed != null) {
            throw failed;
        }
    }

    @ParameterizedTest(name = "{0}: listens with MPTCP, by the kernel's count, payload intact")
    @ValueSource(strings = {"tomcat", "jetty", "netty"})
    void embeddedServerListensWithMptcp(String server) throws Exception {
        World w = World.shared(server);
        long answered = w.counter("MPTcpExtMPCapableSYNACKRX");
        assertEquals(expected(SIZE, 7), w.get(true, "/bytes?n=" + SIZE + "&seed=7"), w.toString());
        assertEquals(answered + 1, w.counter("MPTcpExtMPCapableSYNACKRX"), "the MPTCP client got an MPTCP answer: " + w);
    }

    @ParameterizedTest(name = "{0}: RestClient and WebClient connect with MPTCP, by the kernel's count")
    @ValueSource(strings = {"tomcat", "jetty", "netty"})
    void httpClientsConnectWithMptcp(String server) throws Exception {
        World w = World.shared(server);
        // the app's own clients only run on a servlet stack (the RestClient blocks)
        for (String via : server.equals("netty") ? List.of("web") : List.of("rest", "web")) {
            long syn = w.counter("MPTcpExtMPCapableSYNRX");
            long answered = w.counter("MPTcpExtMPCapableSYNACKRX");
            assertEquals(w.blobSha, w.fetch(via), via + ": " + w);
            // the plain Python client counts nothing: every MPTCP handshake here is the app's client with the MPTCP peer
            assertTrue(w.counter("MPTcpExtMPCapableSYNRX") > syn, via + " connected with MPTCP: " + w);
            assertEquals(w.counter("MPTcpExtMPCapableSYNRX") - syn, w.counter("MPTcpExtMPCapableSYNACKRX") - answered, w.toString());
        }
    }

    @ParameterizedTest(name = "{0}: /actuator/info says what the kernel offers and what was negotiated")
    @ValueSource(strings = {"tomcat", "jetty", "netty"})
    void actuatorInfoShowsMptcp(String server) throws Exception {
        World w = World.shared(server);
        w.get(true, "/bytes?n=10&seed=1");
        String info = w.text("/actuator/info");
        assertTrue(info.contains("\"mptcp4j\"") && info.contains("\"availability\":\"SUPPORTED\""), info);
        assertTrue(info.matches("(?s).*\"connections\":\\d+.*"), info);
    }

    @ParameterizedTest(name = "{0}: mptcp4j.enabled=false: plain TCP everywhere")
    @ValueSource(strings = {"tomcat", "jetty", "netty"})
    void disabledMeansPlainTcp(String server) throws Exception {
        try (World w = World.start(server, false)) {
            assertEquals(expected(SIZE, 3), w.get(true, "/bytes?n=" + SIZE + "&seed=3"), w.toString());
            assertEquals(w.blobSha, w.fetch("web"), w.toString());
            assertEquals(0, w.counter("MPTcpExtMPCapableSYNACKRX"), w.toString());
            assertEquals(0, w.counter("MPTcpExtMPCapableSYNRX"), w.toString());
            assertFalse(w.text("/actuator/info").contains("mptcp4j"), w.toString());
        }
    }

    @ParameterizedTest(name = "{0}: mptcp4j.mode=client: the server stays TCP, the clients are MPTCP")
    @ValueSource(strings = {"tomcat"})
    void modeClientLeavesTheServerOnTcp(String server) throws Exception {
        try (World w = World.start(server, true, "--mptcp4j.mode=client")) {
            assertEquals(expected(SIZE, 5), w.get(true, "/bytes?n=" + SIZE + "&seed=5"), w.toString());
            assertEquals(0, w.counter("MPTcpExtMPCapableSYNACKRX"), "the server answered as TCP: " + w);
            assertEquals(w.blobSha, w.fetch("web"), w.toString());
            assertTrue(w.counter("MPTcpExtMPCapableSYNRX") > 0, "the client connected with MPTCP: " + w);
        }
    }

    @ParameterizedTest(name = "{0}: a bad policy value stops the start with one line naming it")
    @ValueSource(strings = {"tomcat"})
    void badPolicyValueStopsTheStart(String server) throws Exception {
        FieldRun.requireRoot();
        try (Netns ns = Netns.create("spring");
             ChildJvm app = ChildJvm.startProgram(ns, World.appCommand(server, true, "--mptcp4j.mode=sometimes"))) {
            assertTrue(app.await(60) != 0, app.output());
            // Spring Boot's start-failure report: its Description is the one line
            String report = app.output().substring(Math.max(0, app.output().indexOf("APPLICATION FAILED TO START")));
            assertTrue(report.contains("Description:\n\nmptcp4j: bad value for Spring property mptcp4j.mode: \"sometimes\" "
                    + "(expected all, client, server or off)\n"), app.output());
            assertFalse(report.contains("BeanCreationException"), "the report is the line, not the bean chain: " + report);
        }
    }

    static String expected(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return sha256(b);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A namespace with the app and an MPTCP Python HTTP server serving one blob; all removed on close. */
    static final class World implements AutoCloseable {
        final Netns ns;
        final Path dir;
        final Path peer;
        final String blobSha;
        final List<AutoCloseable> children = new ArrayList<>();
        ChildJvm app;

        private World(Netns ns, Path dir) throws IOException {
            this.ns = ns;
            this.dir = dir;
            this.peer = dir.resolve("peer.py");
            try (InputStream in = SpringBootStarterTest.class.getResourceAsStream("/peer.py")) {
                Files.write(peer, in.readAllBytes());
            }
            byte[] blob = new byte[SIZE];
            new Random(42).nextBytes(blob);
            Files.createDirectories(dir.resolve("www"));
            Files.write(dir.resolve("www/blob"), blob);
            this.blobSha = sha256(blob);
        }

        /** {@code java -jar app.jar} on the test address, with the given server and switch; no JVM flag. */
        static List<String> appCommand(String server, boolean enabled, String... more) {
            Path jar = Path.of(System.getProperty("app.jar", "target/app.jar"));
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException("application jar not built: " + jar);
            }
            List<String> command = new ArrayList<>(List.of(ChildJvm.javaBinary(), "-jar", jar.toString(),
                    "--server.address=" + FieldRun.HOST, "--server.port=" + APP_PORT, "--app.server=" + server,
                    "--mptcp4j.enabled=" + enabled));
            command.addAll(List.of(more));
            return command;
        }

        /** The running application with the given server and MPTCP on, started at the first call. */
        static World shared(String server) throws IOException {
            World w = SHARED.get(server);
            if (w == null) {
                w = start(server, true);
                SHARED.put(server, w);
            }
            return w;
        }

        static World start(String server, boolean enabled, String... more) throws IOException {
            FieldRun.requireRoot();
            List<String> command = appCommand(server, enabled, more);
            Netns ns = Netns.create("spring").withLocalAddress(FieldRun.HOST + "/24");
            World w = null;
            try {
                w = new World(ns, Files.createTempDirectory("mptcp4j-spring"));
                ChildJvm py = ChildJvm.startProgram(ns, List.of("mptcpize", "run", "python3", w.peer.toString(), "serve",
                        w.dir.resolve("www").toString(), FieldRun.HOST, "" + PEER_PORT));
                w.children.add(py);
                py.awaitLine("READY", 20);
                w.app = ChildJvm.startProgram(ns, command);
                w.children.add(w.app);
                w.app.awaitLine("Started DemoApp", 60);
                return w;
            } catch (IOException | RuntimeException e) {
                if (w != null) {
                    w.close();
                } else {
                    ns.close();
                }
                throw e;
            }
        }

        long counter(String name) throws IOException {
            return ns.counter(name);
        }

        /** The SHA-256 of what the app answers at {@code path}, fetched by Python (under mptcpize when {@code mptcp}). */
        String get(boolean mptcp, String path) throws IOException {
            List<String> argv = new ArrayList<>(mptcp ? List.of("mptcpize", "run") : List.of());
            argv.addAll(List.of("python3", peer.toString(), "get", "http://" + FieldRun.HOST + ":" + APP_PORT + path));
            String out = ns.exec(argv.toArray(String[]::new)).strip();
            assertTrue(out.startsWith("SHA256 "), out + "\n" + this);
            return out.split(" ")[1];
        }

        /** The app's answer to {@code /fetch}: the SHA-256 of the blob as its {@code via} client got it from the MPTCP peer. */
        String fetch(String via) throws IOException {
            String url = "http://" + FieldRun.HOST + ":" + PEER_PORT + "/blob";
            return text("/fetch?via=" + via + "&url=" + url);
        }

        /** A body as text, fetched by plain Python. */
        String text(String path) throws IOException {
            try {
                return ns.exec("python3", "-c", "import sys,urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=20).read().decode())",
                        "http://" + FieldRun.HOST + ":" + APP_PORT + path).strip();
            } catch (IOException e) {
                throw new IOException(e.getMessage() + "\napplication output:\n" + this, e);
            }
        }

        @Override
        public String toString() {
            return app == null ? ns.toString() : app.output();
        }

        @Override
        public void close() throws IOException {
            for (AutoCloseable c : children) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // the namespace goes below in every case
                }
            }
            ns.close();
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
