package org.mptcp4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mptcp4j.programs.BlockingEcho;
import org.mptcp4j.programs.DatagramAndPipe;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Netns;

/**
 * Unmodified programs, MPTCP through system properties alone. Each runs in a fresh network
 * namespace; the kernel's own MIB counters there prove what happened: MPCapableSYNRX (an MPTCP
 * listener got an MP_CAPABLE SYN) and MPCapableSYNACKRX (an MPTCP client got the MP_CAPABLE SYN-ACK).
 */
class SystemPropertySwitchTest {
    static final String HOST = "198.18.0.1";

    Netns ns;

    @BeforeEach
    void freshNamespace() throws Exception {
        Requirements.root();
        ns = Netns.create("props").withLocalAddress(HOST + "/24");
    }

    @AfterEach
    void remove() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    static List<String> flags(String... extra) {
        List<String> f = new ArrayList<>(List.of(Mptcp.requiredJvmFlags().split(" ")));
        f.add("-Djava.nio.channels.spi.SelectorProvider=org.mptcp4j.MptcpSelectorProvider");
        f.add("-Djava.nio.channels.spi.AsynchronousChannelProvider=org.mptcp4j.MptcpAsynchronousChannelProvider");
        f.add("-Djava.system.class.loader=org.mptcp4j.MptcpSystemClassLoader");
        if (Runtime.version().feature() >= 22) {
            f.add("--enable-native-access=ALL-UNNAMED");
        }
        f.addAll(List.of(extra));
        return f;
    }

    private String run(Class<?> program, List<String> flags, String host) throws Exception {
        try (ChildJvm child = ChildJvm.start(ns, flags, program, host)) {
            int exit = child.await(60);
            assertEquals(0, exit, child.output());
            assertTrue(child.output().contains("OK "), child.output());
            return child.output();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"BlockingEcho", "NioEcho", "AioEcho", "HttpEcho", "VirtualThreadEcho"})
    void unmodifiedProgramUsesMptcpOnBothEnds(String name) throws Exception {
        if (name.equals("VirtualThreadEcho")) {
            assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        }
        String out = run(Class.forName("org.mptcp4j.programs." + name), flags(), HOST);
        assertTrue(ns.counter("MPTcpExtMPCapableSYNRX") >= 1, "kernel: MPTCP listener got an MP_CAPABLE SYN\n" + out);
        assertTrue(ns.counter("MPTcpExtMPCapableSYNACKRX") >= 1, "kernel: MPTCP client got an MP_CAPABLE SYN-ACK\n" + out);
        if (out.contains("providerConsistent")) {
            assertTrue(out.contains("providerConsistent=true"), out);
        }
    }

    @Test
    void withoutThePropertiesTheSameProgramIsPlainTcp() throws Exception {
        run(BlockingEcho.class, List.of(Mptcp.requiredJvmFlags().split(" ")), HOST);
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNRX"), "control: no MPTCP without the switch");
    }

    @Test
    void datagramAndPipeChannelsBehaveAsBefore() throws Exception {
        String out = run(DatagramAndPipe.class, flags(), HOST);
        assertTrue(out.contains("OK udp+pipe providerConsistent=true"), out);
    }

    @Test
    void socketOptionsMptcpRefusesAreAcceptedOnJavaNetSockets() throws Exception {
        String out = run(org.mptcp4j.programs.LegacyOptions.class, flags(), HOST);
        assertTrue(out.contains("OK 7"), out);
        assertTrue(ns.counter("MPTcpExtMPCapableSYNRX") >= 1, "the sockets were MPTCP\n" + out);
    }

    @Test
    void optionsSetBeforeConnectReachTheMptcpSocket() throws Exception {
        String tcp = run(org.mptcp4j.programs.OptionsBeforeConnect.class, List.of(Mptcp.requiredJvmFlags().split(" ")), HOST);
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNACKRX"), tcp);
        String mptcp = run(org.mptcp4j.programs.OptionsBeforeConnect.class, flags(), HOST);
        assertEquals(3, ns.counter("MPTcpExtMPCapableSYNACKRX"), "every client MPTCP\n" + mptcp);
        java.util.function.Function<String, List<String>> read = out -> out.lines().filter(l -> l.matches("(SOCKET|CHANNEL|UNTOUCHED) .*")).toList();
        assertEquals(3, read.apply(mptcp).size(), mptcp);
        assertEquals(read.apply(tcp), read.apply(mptcp), "what each client set before connect is on the socket that connected");
    }

    @Test
    void excludedDestinationStaysTcp() throws Exception {
        run(BlockingEcho.class, flags("-Dmptcp4j.exclude=198.18.0.0/24"), HOST);
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNRX"), "the client to an excluded destination sent a plain SYN");
    }

    @Test
    void loopbackDestinationStaysTcpByDefault() throws Exception {
        run(BlockingEcho.class, flags(), "127.0.0.1");
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNRX"), "loopback client kept on TCP");
    }

    @Test
    void loopbackCanBeOptedIn() throws Exception {
        run(BlockingEcho.class, flags("-Dmptcp4j.loopback=mptcp"), "127.0.0.1");
        assertTrue(ns.counter("MPTcpExtMPCapableSYNRX") >= 1, "loopback=mptcp makes the loopback client MPTCP");
    }

    @Test
    void serverModeLeavesClientsOnTcp() throws Exception {
        run(BlockingEcho.class, flags("-Dmptcp4j.mode=server"), HOST);
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNRX"), "mode=server: the client stays TCP");
        assertTrue(ns.counter("MPTcpExtMPCapableSYNACKRX") == 0);
    }

    @Test
    void badValueIsOneLineAndTheProgramRunsOnTcp() throws Exception {
        String out = run(BlockingEcho.class, flags("-Dmptcp4j.mode=sever"), HOST);
        String expected = "bad value for -Dmptcp4j.mode: \"sever\" (expected all, client, server or off); using plain TCP";
        assertEquals(1, out.lines().filter(l -> l.contains(expected)).count(), out);
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNRX"));
    }

    @Test
    void theCompatChannelsSwitchLeavesThePolicyAlone() throws Exception {
        String out = run(BlockingEcho.class, flags("-Dmptcp4j.compatChannels=false"), HOST);
        assertTrue(ns.counter("MPTcpExtMPCapableSYNACKRX") >= 1, "still MPTCP\n" + out);
        assertTrue(out.lines().noneMatch(l -> l.startsWith("mptcp4j") || l.contains("unknown setting")), "nothing to report: " + out);
    }

    @Test
    void environmentVariablesSetThePolicyForContainers() throws Exception {
        try (ChildJvm child = ChildJvm.start(ns, List.of("env", "MPTCP4J_MODE=server"), flags(), BlockingEcho.class, HOST)) {
            assertEquals(0, child.await(60), child.output());
        }
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNACKRX"), "MPTCP4J_MODE=server: the client stays TCP");
    }

    @Test
    void aSystemPropertyWinsOverTheEnvironment() throws Exception {
        try (ChildJvm child = ChildJvm.start(ns, List.of("env", "MPTCP4J_MODE=server"), flags("-Dmptcp4j.mode=all"), BlockingEcho.class, HOST)) {
            assertEquals(0, child.await(60), child.output());
        }
        assertTrue(ns.counter("MPTcpExtMPCapableSYNACKRX") >= 1, "-Dmptcp4j.mode=all wins: the client is MPTCP");
    }

    @Test
    void withXlogCdsOffTheSystemClassLoaderSwitchWritesNothingOnStdout() throws Exception {
        List<String> command = new ArrayList<>(List.of("sh", "-c", "exec \"$0\" \"$@\" 2>/dev/null", ChildJvm.javaBinary(), "-Xlog:cds=off"));
        command.addAll(flags());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), BlockingEcho.class.getName(), HOST));
        try (ChildJvm child = ChildJvm.startProgram(ns, command)) {
            assertEquals(0, child.await(60), child.output());
            assertEquals(List.of("OK 1048576"), child.output().lines().collect(java.util.stream.Collectors.toList()), "stdout is the program's own");
        }
        assertTrue(ns.counter("MPTcpExtMPCapableSYNACKRX") >= 1, "and MPTCP");
    }

    @Test
    void badValueWithStrictFailsTheSocketWithTheReason() throws Exception {
        try (ChildJvm child = ChildJvm.start(ns, flags("-Dmptcp4j.exclude=10.0.0.0/99", "-Dmptcp4j.strict=true"), BlockingEcho.class, HOST)) {
            child.await(60);
            assertTrue(child.output().contains("prefix length must be 0-32"), child.output());
            assertTrue(child.output().contains("MptcpUnavailableException"), child.output());
        }
    }
}
