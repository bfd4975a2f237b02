package org.mptcp4j.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mptcp4j.Requirements;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.FieldRun;
import org.mptcp4j.testbed.Netns;

/** The binary distribution, extracted where there are no sources and no Maven: bin/mptcp4j and its agent work with a JDK alone. */
class DistributionTest {
    @TempDir
    static Path dir;
    static Path home;
    static Path noMaven;

    @BeforeAll
    static void extract() throws Exception {
        home = Extracted.home();
        // a PATH whose first mvn fails loudly: the distribution must never build
        noMaven = dir.resolve("no-maven");
        Files.createDirectories(noMaven);
        Path mvn = noMaven.resolve("mvn");
        Files.writeString(mvn, "#!/bin/sh\necho 'the distribution called Maven' >&2\nexit 99\n");
        mvn.toFile().setExecutable(true);
    }

    static List<String> command(String... args) {
        List<String> c = new ArrayList<>(List.of("env", "PATH=" + noMaven + ":" + System.getenv("PATH"),
                "JAVA_HOME=" + System.getProperty("java.home"), home.resolve("bin/mptcp4j").toString()));
        c.addAll(List.of(args));
        return c;
    }

    @Test
    void theTarballHoldsTheToolsAndTheAgentButNoSources() {
        assertTrue(Files.isExecutable(home.resolve("bin/mptcp4j")));
        assertTrue(Files.isRegularFile(home.resolve("lib/mptcp4j-agent.jar")));
        assertTrue(Files.isRegularFile(home.resolve("lib/mptcp4j-cli.jar")));
        assertTrue(Files.isRegularFile(home.resolve("LICENSE")));
        assertFalse(Files.exists(home.resolve("pom.xml")));
        assertFalse(Files.exists(home.resolve("provider")));
    }

    @Test
    void versionRunsWithoutMaven() throws Exception {
        try (ChildJvm c = ChildJvm.startProgram(null, command("--version"))) {
            assertEquals(0, c.await(30), c.output());
            assertEquals("mptcp4j " + System.getProperty("mptcp4j.version"), c.output().strip().replaceAll(" on Java.*", ""), c.output());
        }
    }

    @Test
    void runPutsTheAgentUnderAJavaProgram() throws Exception {
        Requirements.root();
        try (Netns ns = Netns.create("dist").withLocalAddress(FieldRun.HOST + "/24")) {
            List<String> run = command("run", "--", ChildJvm.javaBinary(), "-cp", System.getProperty("java.class.path"),
                    "org.mptcp4j.programs.BlockingEcho", FieldRun.HOST);
            try (ChildJvm c = ChildJvm.startProgram(ns, run)) {
                assertEquals(0, c.await(60), c.output());
                assertTrue(c.output().contains("OK 1048576"), c.output());
            }
            assertEquals(1, ns.counter("MPTcpExtMPCapableSYNACKRX"), "the program's client was MPTCP");
            assertEquals(1, ns.counter("MPTcpExtMPCapableSYNRX"), "and its listener");
        }
    }

    @Test
    void runPutsTheAgentUnderTheJvmsAScriptStarts() throws Exception {
        Requirements.root();
        try (Netns ns = Netns.create("dist").withLocalAddress(FieldRun.HOST + "/24")) {
            // not a java launcher: JAVA_TOOL_OPTIONS carries the agent (and the JNI library) to every JVM it starts
            List<String> run = command("run", "--", "sh", "-c", "exec \"$0\" -cp \"$1\" org.mptcp4j.programs.BlockingEcho \"$2\"",
                    ChildJvm.javaBinary(), System.getProperty("java.class.path"), FieldRun.HOST);
            try (ChildJvm c = ChildJvm.startProgram(ns, run)) {
                assertEquals(0, c.await(60), c.output());
                assertTrue(c.output().contains("OK 1048576"), c.output());
                String picked = c.output().lines().filter(l -> l.startsWith("Picked up JAVA_TOOL_OPTIONS")).findFirst().orElseThrow();
                assertTrue(picked.contains("-javaagent:" + home.resolve("lib/mptcp4j-agent.jar")), picked);
                if (System.getProperty("os.arch").equals("amd64")) {
                    assertTrue(picked.contains("-agentpath:" + home.resolve("lib/native/linux-x86_64/libmptcp4j.so")), picked);
                    assertFalse(c.output().contains("WARNING"), c.output());
                }
            }
            assertEquals(1, ns.counter("MPTcpExtMPCapableSYNACKRX"), "the program's client was MPTCP");
            assertEquals(1, ns.counter("MPTcpExtMPCapableSYNRX"), "and its listener");
        }
    }

    /** One program, compiled here as module {@code m}: a connection to itself on HOST, then the JVM's own arguments. */
    static Path selfConnect() throws Exception {
        Path src = dir.resolve("src/m");
        Files.createDirectories(src.resolve("p"));
        Files.writeString(src.resolve("module-info.java"), "module m {}\n"); // reads java.base only, not java.instrument
        Files.writeString(src.resolve("p/SelfConnect.java"), """
                package p;
                public final class SelfConnect {
                    public static void main(String[] a) throws Exception {
                        var host = java.net.InetAddress.getByName(a[0]);
                        try (var l = new java.net.ServerSocket(0, 1, host); var c = new java.net.Socket(host, l.getLocalPort());
                             var s = l.accept()) {
                            c.getOutputStream().write(7);
                            System.out.println("READ " + s.getInputStream().read());
                        }
                        System.out.println("JVM " + String.join(" ", ProcessHandle.current().info().arguments().orElseThrow()));
                    }
                }
                """);
        Path out = dir.resolve("modules/m");
        int rc = javax.tools.ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", out.toString(),
                src.resolve("module-info.java").toString(), src.resolve("p/SelfConnect.java").toString());
        assertEquals(0, rc, "javac");
        return out;
    }

    static String runSelfConnect(List<String> launch) throws Exception {
        Requirements.root();
        try (Netns ns = Netns.create("dist").withLocalAddress(FieldRun.HOST + "/24")) {
            List<String> run = new ArrayList<>(List.of("run", "--", ChildJvm.javaBinary()));
            run.addAll(launch);
            run.add(FieldRun.HOST);
            try (ChildJvm c = ChildJvm.startProgram(ns, command(run.toArray(String[]::new)))) {
                assertEquals(0, c.await(60), c.output());
                assertTrue(c.output().contains("READ 7"), c.output());
                assertEquals(1, ns.counter("MPTcpExtMPCapableSYNRX"), "the connection was MPTCP: " + c.output());
                return c.output();
            }
        }
    }

    /** The JVM's own arguments, as the program printed them. */
    static String jvmLine(String output) {
        return output.lines().filter(l -> l.startsWith("JVM ")).findFirst().orElseThrow();
    }

    @Test
    void runLoadsTheAgentWithoutAddingAModuleForAClassPathProgram() throws Exception {
        String jvm = jvmLine(runSelfConnect(List.of("-cp", selfConnect().toString(), "p.SelfConnect")));
        assertTrue(jvm.contains(" -agentlib:instrument=" + home.resolve("lib/mptcp4j-agent.jar")), jvm);
        assertFalse(jvm.contains("-javaagent"), jvm);
    }

    @Test
    void runHasTheJvmLoadMptcp4jsLibraryAsAnAgentSoNothingIsCopiedAndNoNativeAccessIsGranted() throws Exception {
        assumeTrue(System.getProperty("os.arch").equals("amd64"), "mptcp4j's JNI library is built for x86_64");
        Path tmp = Files.createDirectories(dir.resolve("run-tmp"));
        String out = runSelfConnect(List.of("-Djava.io.tmpdir=" + tmp, "-cp", selfConnect().toString(), "p.SelfConnect"));
        String jvm = jvmLine(out);
        assertTrue(jvm.contains(" -agentpath:" + home.resolve("lib/native/linux-x86_64/libmptcp4j.so")), jvm);
        assertFalse(jvm.contains("--enable-native-access"), jvm);
        assertFalse(out.contains("WARNING"), "JDK 24+ has nothing to warn of: " + out);
        try (var files = Files.walk(tmp)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("libmptcp4j")).toList(),
                    "no copy of the library kept or loaded");
        }
    }

    @Test
    void runGrantsNativeAccessInsteadWhereJffiIsAskedFor() throws Exception {
        String out = runSelfConnect(List.of("-Dmptcp4j.native=jffi", "-cp", selfConnect().toString(), "p.SelfConnect"));
        String jvm = jvmLine(out);
        assertFalse(jvm.contains("-agentpath:"), jvm);
        assertEquals(Runtime.version().feature() >= 24, jvm.contains("--enable-native-access=ALL-UNNAMED"), jvm);
        assertFalse(out.contains("WARNING"), "jffi loads its library granted: " + out);
    }

    @Test
    void runKeepsJavaagentForAProgramInANamedModule() throws Exception {
        // -agentlib:instrument here would abort the JVM: java.instrument is not in this boot layer
        String jvm = jvmLine(runSelfConnect(List.of("-p", selfConnect().getParent().toString(), "-m", "m/p.SelfConnect")));
        assertTrue(jvm.contains(" -javaagent:" + home.resolve("lib/mptcp4j-agent.jar")), jvm);
        assertFalse(jvm.contains("-agentlib:instrument"), jvm);
    }

    @Test
    void prepareWithoutADirectoryFailsWithOneLineThatSaysWhatItTakes() throws Exception {
        try (ChildJvm c = ChildJvm.startProgram(null, command("prepare"))) {
            assertEquals(2, c.await(30), c.output());
            assertEquals("mptcp4j: prepare needs a directory (mptcp4j prepare DIR [-cp CLASSPATH] [PACKAGE ...])", c.output().strip());
        }
    }

    @Test
    void prepareNamingAPackageWithNoNettyOnTheClassPathFailsAndSaysSo() throws Exception {
        try (ChildJvm c = ChildJvm.startProgram(null, command("prepare", dir.resolve("woven").toString(), "io.netty"))) {
            assertEquals(2, c.await(60), c.output());
            assertTrue(c.output().contains("io.netty"), c.output());
        }
    }

    @Test
    void statusRunsWithoutMaven() throws Exception {
        try (ChildJvm c = ChildJvm.startProgram(null, command("status"))) {
            assertEquals(0, c.await(30), c.output());
            assertTrue(c.output().contains("MPTCP"), c.output());
        }
    }
}
