package org.mptcp4j.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.tools.attach.VirtualMachine;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mptcp4j.Requirements;
import org.mptcp4j.agent.programs.AgentCounters;
import org.mptcp4j.agent.programs.AttachTarget;
import org.mptcp4j.agent.programs.JettyOkHttp;
import org.mptcp4j.programs.BlockingEcho;
import org.mptcp4j.programs.OptionWalk;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Netns;

/**
 * Unmodified programs under {@code -javaagent:mptcp4j-agent.jar}, each in a fresh network
 * namespace; the kernel's MIB counters there say what really happened.
 */
class AgentTest {
    static final String HOST = "198.18.0.1";
    static final Path JAR = Path.of(System.getProperty("mptcp4j.agent.jar", "target/mptcp4j-agent.jar"));

    Netns ns;

    @BeforeEach
    void freshNamespace() throws Exception {
        Requirements.root();
        assertTrue(Files.isRegularFile(JAR), "agent jar built: " + JAR);
        ns = Netns.create("agent").withLocalAddress(HOST + "/24");
    }

    @AfterEach
    void remove() throws Exception {
        if (ns != null) {
            ns.close();
        }
    }

    static List<String> agent(String args, String... jvm) {
        List<String> f = new ArrayList<>(List.of(jvm));
        f.add("-javaagent:" + JAR.toAbsolutePath() + (args == null ? "" : "=" + args));
        return f;
    }

    /**
     * {@code org.mptcp4j.agent.Prepare} run under the agent into {@code dir}, from {@code classPath}, with one more JVM
     * flag (or null) and the Netty packages given; its output, once it exited 0.
     */
    private static String prepare(Path dir, String classPath, String jvmFlag, String... packages) throws Exception {
        List<String> command = new ArrayList<>(List.of(ChildJvm.javaBinary(), "-Dmptcp4j.agent.wovenCache=" + dir));
        if (jvmFlag != null) {
            command.add(jvmFlag);
        }
        command.addAll(agent(null));
        command.addAll(List.of("-cp", classPath, "org.mptcp4j.agent.Prepare"));
        command.addAll(List.of(packages));
        try (ChildJvm prepare = ChildJvm.startProgram(null, command)) {
            assertEquals(0, prepare.await(90), prepare.output());
            return prepare.output();
        }
    }

    /** Removes a directory a test made, with what it holds. */
    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private String run(List<String> jvm, Class<?> program, String... args) throws Exception {
        try (ChildJvm child = ChildJvm.start(ns, jvm, program, args)) {
            assertEquals(0, child.await(90), child.output());
            assertTrue(child.output().contains("OK "), child.output());
            return child.output();
        }
    }

    private void assertKernelSawMptcpBothWays(String out) throws Exception {
        assertTrue(ns.counter("MPTcpExtMPCapableSYNRX") >= 1, "kernel: MPTCP listener got an MP_CAPABLE SYN\n" + out);
        assertTrue(ns.counter("MPTcpExtMPCapableSYNACKRX") >= 1, "kernel: MPTCP client got an MP_CAPABLE SYN-ACK\n" + out);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"BlockingEcho", "NioEcho", "AioEcho", "HttpEcho", "VirtualThreadEcho"})
    void unmodifiedJdkProgramUsesMptcp(String name) throws Exception {
        if (name.equals("VirtualThreadEcho")) {
            assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        }
        String out = run(agent(null), Class.forName("org.mptcp4j.programs." + name), HOST);
        assertKernelSawMptcpBothWays(out);
        assertFalse(out.contains("Sharing is only supported"), "the agent leaves class-data sharing alone: " + out);
    }

    @Test
    void theHookIsDefinedAndJavaBaseOpenedThroughTheJniLibrary() throws Exception {
        // a SocketChannel decided at connect is looked into (its locks, its Selector registrations)
        String out = run(agent("log=debug"), org.mptcp4j.programs.NioEcho.class, HOST);
        assertTrue(out.contains("hook defined in the boot loader with JNI DefineClass"), out);
        assertTrue(out.contains("java.base opened to the agent through JNI"), out);
        assertKernelSawMptcpBothWays(out);
    }

    @Test
    void javaBaseIsNotOpenedForSocketsThatNeedNoJdkField() throws Exception {
        // java.net sockets created MPTCP in place, counted through their FileDescriptors
        String out = run(agent("log=debug"), BlockingEcho.class, HOST);
        assertFalse(out.contains("java.base opened"), out);
        assertKernelSawMptcpBothWays(out);
    }

    @Test
    void withoutTheJniLibraryTheHookIsDefinedWithUnsafeAndJavaBaseOpenedWithRedefineModule() throws Exception {
        String out = run(agent("log=debug", "-Dmptcp4j.native=jffi"), BlockingEcho.class, HOST);
        assertTrue(out.contains("hook defined in the boot loader with Unsafe.defineClass"), out);
        assertFalse(out.contains("appending a boot jar"), out);
        assertTrue(out.contains("java.base opened to the agent with Instrumentation.redefineModule"), out);
        assertKernelSawMptcpBothWays(out);
    }

    @Test
    void theAgentNeedsNoNativeAccessGrantAndTheJdkPrintsNoWarning() throws Exception {
        // JDK 24+ warns when code without native access loads a library or binds a native method by name
        String out = run(agent(null), org.mptcp4j.programs.NioEcho.class, HOST);
        assertFalse(out.contains("WARNING"), out);
        assertKernelSawMptcpBothWays(out);
    }

    @Test
    void whereTheJvmDeniesNativeAccessTheProgramStaysTcpAndOneLineSaysWhatToGrant() throws Exception {
        assumeTrue(Runtime.version().feature() >= 24, "--illegal-native-access is a JDK 24+ option");
        String out = run(agent(null, "--illegal-native-access=deny"), BlockingEcho.class, HOST);
        List<String> ours = out.lines().filter(l -> l.startsWith("mptcp4j")).toList();
        assertEquals(1, ours.size(), out);
        assertTrue(ours.get(0).contains("--enable-native-access=ALL-UNNAMED"), ours.get(0));
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNRX"), "plain TCP\n" + out);
    }

    @Test
    void aProgramThatOpensNoSocketLoadsOnlyTheAgentsEntryClass() throws Exception {
        String out = run(agent(null, "-Xlog:class+load=info"), org.mptcp4j.agent.programs.NoSockets.class);
        assertTrue(out.contains("org.mptcp4j.agent.Agent "), "the entry class is the transformer\n" + out);
        for (String deferred : List.of("org.mptcp4j.agent.AgentClassLoader", "org.mptcp4j.agent.Installer", "org.mptcp4j.agent.SocketTransformer",
                "org.mptcp4j.internal.", "org.mptcp4j.agent.boot.MptcpHook", "com.kenai.jffi.", "org.mptcp4j.shaded.asm.")) {
            assertFalse(out.contains(deferred), deferred + " waits for the first socket class\n" + out);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"BlockingEcho", "NioEcho"})
    void theAgentsClassesAFirstConnectionNeedsAreLoadedAheadFromItsFirstSocketAddress(String name) throws Exception {
        Path tmp = Files.createTempDirectory("m4j-first-classes");
        String out;
        try {
            List<String> jvm = agent(null, "-Xlog:class+load=info", "-Djava.io.tmpdir=" + tmp);
            run(jvm, Class.forName("org.mptcp4j.programs." + name), HOST); // the first start weaves: the cache is filled
            out = run(jvm, Class.forName("org.mptcp4j.programs." + name), HOST);
        } finally {
            deleteTree(tmp);
        }
        List<String> agents = out.lines().filter(l -> l.contains("[class,load] org.mptcp4j.") && l.contains("mptcp4j-agent"))
                .map(l -> l.substring(l.indexOf("[class,load] ") + 13).split(" ")[0]).toList();
        String list = "org.mptcp4j.agent.FirstSocketClasses";
        // loaded ahead from the program's first socket address, before the set-up's classes
        assertTrue(agents.indexOf(list) >= 0 && agents.indexOf(list) < agents.indexOf("org.mptcp4j.agent.Installer"), agents.toString());
        // the released jar's copy, as the agent loads it (this class path holds the jar, its classes under a prefix)
        java.lang.reflect.Field names = Class.forName(list, false, AgentClassLoader.of(JAR, list)).getDeclaredField("NAMES");
        names.setAccessible(true);
        List<String> listed = List.of((String[]) names.get(null));
        // the jar's root classes and the list itself come first; AgentCallback implements a boot class
        List<String> unlisted = List.of("org.mptcp4j.agent.Agent", "org.mptcp4j.agent.LazyAgent", "org.mptcp4j.agent.AgentClassLoader", list,
                "org.mptcp4j.agent.AgentCallback");
        List<String> missing = agents.stream().filter(c -> !listed.contains(c) && !unlisted.contains(c)).toList();
        assertEquals(List.of(), missing, "classes a first connection loads that FirstSocketClasses does not list");
        assertFalse(out.lines().anyMatch(l -> l.startsWith("mptcp4j")), "nothing to say\n" + out);
        assertKernelSawMptcpBothWays(out);
    }

    @Test
    void aProgramThatLoadsManyClassesBeforeItsFirstSocketHasItWovenAheadAndIsMptcp() throws Exception {
        // some 2,400 classes and no socket: past the threshold of a program with no socket class yet (2 x 400)
        String out = run(agent("log=debug", "-D" + LazyAgent.EAGER_AFTER_PROPERTY + "=400"), org.mptcp4j.agent.programs.ManyClassesFirst.class,
                org.mptcp4j.programs.NioEcho.class.getName(), HOST);
        assertTrue(out.contains("stopped watching class loading"), out);
        assertTrue(out.contains("hooked 2 methods of java.lang.Runtime"), out);
        assertKernelSawMptcpBothWays(out);
    }

    @Test
    void aProgramThatConnectsEarlyStopsBeingWatchedAfterAThousandClassesAndItsLaterChannelsAreMptcp() throws Exception {
        String out = run(agent("log=debug"), org.mptcp4j.agent.programs.ManyClassesFirst.class, "socket",
                org.mptcp4j.programs.NioEcho.class.getName(), HOST);
        assertTrue(out.contains("stopped watching class loading"), out);
        assertKernelSawMptcpBothWays(out);
    }

    @Test
    void aProgramWithNoSocketClassIsWatchedUpToTwiceTheThreshold() throws Exception {
        // some 2,400 classes, no socket class: past 1,500 (enough had a socket class loaded), short of 2 x 1,500
        String out = run(agent("log=debug", "-D" + LazyAgent.EAGER_AFTER_PROPERTY + "=1500"), org.mptcp4j.agent.programs.ManyClassesFirst.class,
                org.mptcp4j.agent.programs.NoSockets.class.getName());
        assertFalse(out.contains("watching class loading"), out);
        assertFalse(out.contains("active:"), "nothing set up\n" + out);
    }

    @Test
    void theAgentWatchesClassLoadingToTheEndWhenToldNeverToStop() throws Exception {
        String out = run(agent("log=debug", "-D" + LazyAgent.EAGER_AFTER_PROPERTY + "=0"), org.mptcp4j.agent.programs.ManyClassesFirst.class,
                org.mptcp4j.programs.NioEcho.class.getName(), HOST);
        assertFalse(out.contains("watching class loading"), out);
        assertFalse(out.contains("java.lang.Runtime"), out);
        assertKernelSawMptcpBothWays(out);
    }

    @Test
    void theSameAgentGivenTwiceRunsOnceWithTheFirstArguments() throws Exception {
        String out = run(agent("mode=off", "-javaagent:" + JAR.toAbsolutePath()), BlockingEcho.class, HOST);
        assertTrue(out.contains("already active; arguments \"mode=off\" ignored"), out);
        assertKernelSawMptcpBothWays(out);
    }

    @Test
    void socketClassesAnAgentAheadOfThisOneLoadedAreRewrittenToo() throws Exception {
        Path dir = Files.createTempDirectory("m4j-first-agent");
        try {
            // a jar with only a manifest: the JVM loads its Premain-Class through the class path, which holds it
            Path first = dir.resolve("first-agent.jar");
            java.util.jar.Manifest m = new java.util.jar.Manifest();
            m.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
            m.getMainAttributes().putValue("Premain-Class", org.mptcp4j.agent.programs.SocketsBeforeMptcp4j.class.getName());
            try (OutputStream o = Files.newOutputStream(first); var jar = new java.util.jar.JarOutputStream(o, m)) {
                jar.flush();
            }
            String out = run(agent("log=debug", "-javaagent:" + first), BlockingEcho.class, HOST);
            assertTrue(out.contains("methods of sun.nio.ch.Net"), "Net, loaded before this agent, was rewritten\n" + out);
            assertKernelSawMptcpBothWays(out);
        } finally {
            deleteTree(dir);
        }
    }

    @Test
    void jdkClassesWovenAtAnEarlierStartAreTakenFromTheCacheAndStillMakeMptcp() throws Exception {
        Path tmp = Files.createTempDirectory("m4j-cache");
        try {
            List<String> jvm = agent("log=debug", "-Djava.io.tmpdir=" + tmp);
            String first = run(jvm, BlockingEcho.class, HOST);
            assertTrue(first.contains("methods of sun.nio.ch.Net in") && !first.contains("as woven at an earlier start"), first);
            long before = ns.counter("MPTcpExtMPCapableSYNACKRX");
            String second = run(jvm, BlockingEcho.class, HOST);
            assertTrue(second.lines().anyMatch(l -> l.contains("methods of sun.nio.ch.Net in") && l.endsWith("as woven at an earlier start")), second);
            assertTrue(ns.counter("MPTcpExtMPCapableSYNACKRX") > before, "kernel: the second run's client got an MP_CAPABLE SYN-ACK\n" + second);
            assertTrue(ns.counter("MPTcpExtMPCapableSYNRX") >= 2, "kernel: both runs' listeners took MP_CAPABLE SYNs\n" + second);
        } finally {
            deleteTree(tmp);
        }
    }

    /** A service's start: the directory Prepare filled and an empty tmpdir of its own, with what Prepare printed. */
    private interface PreparedStart {
        void run(Path prepared, Path fresh, String prepareOutput) throws Exception;
    }

    /**
     * Runs {@code service} as a container runs it: after Prepare filled a directory as an image's build does (under
     * the agent, the jar itself as the class path), with a tmpdir that keeps nothing; removes both after.
     */
    private static void withPreparedCache(PreparedStart service) throws Exception {
        Path prepared = Files.createTempDirectory("m4j-prepared");
        Path fresh = Files.createTempDirectory("m4j-fresh");
        try {
            Files.setPosixFilePermissions(prepared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            String prepare = prepare(prepared, JAR.toAbsolutePath().toString(), "-Djava.io.tmpdir=" + fresh);
            deleteTree(fresh);
            Files.createDirectory(fresh);
            service.run(prepared, fresh, prepare);
        } finally {
            deleteTree(prepared);
            deleteTree(fresh);
        }
    }

    @Test
    void aCachePreparedAheadServesAStartWithAFreshTmpdirWithoutWeaving() throws Exception {
        withPreparedCache((prepared, fresh, prepare) -> {
            assertTrue(prepare.contains("5 JDK classes woven and kept in " + prepared), prepare);
            String out = run(agent("log=debug", "-Djava.io.tmpdir=" + fresh, "-Dmptcp4j.agent.wovenCache=" + prepared), BlockingEcho.class, HOST);
            assertTrue(out.lines().anyMatch(l -> l.contains("methods of sun.nio.ch.NioSocketImpl in") && l.endsWith("as woven at an earlier start")), out);
            assertTrue(out.lines().noneMatch(l -> l.contains("methods of sun.nio.ch.") && l.contains(" in ") && !l.endsWith("as woven at an earlier start")),
                    "no JDK class woven at this start\n" + out);
            assertKernelSawMptcpBothWays(out);
        });
    }

    @Test
    void aCachePreparedAheadServesTheRuntimeALongerProgramHasRewrittenInTheBackgroundWithoutLoadingAsm() throws Exception {
        withPreparedCache((prepared, fresh, prepare) -> {
            // some 2,400 classes before the first socket: the agent weaves ahead and rewrites Runtime on its eager thread
            String out = run(agent("log=debug", "-Djava.io.tmpdir=" + fresh, "-Dmptcp4j.agent.wovenCache=" + prepared,
                    "-D" + LazyAgent.EAGER_AFTER_PROPERTY + "=400", "-Xlog:class+load=info"),
                    org.mptcp4j.agent.programs.ManyClassesFirst.class, org.mptcp4j.programs.NioEcho.class.getName(), HOST);
            assertTrue(out.lines().anyMatch(l -> l.contains("methods of java.lang.Runtime in") && l.endsWith("as woven at an earlier start")), out);
            assertTrue(out.lines().noneMatch(l -> l.contains(".shaded.asm.")), "nothing woven at this start: no ASM loaded\n" + out);
            assertKernelSawMptcpBothWays(out);
        });
    }

    @Test
    void prepareKeepsTheNettyClassesOfThePackagesItIsGiven() throws Exception {
        Path prepared = Files.createTempDirectory("m4j-prepared");
        try {
            Files.setPosixFilePermissions(prepared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            Path jars = Path.of(System.getProperty("mptcp4j.netty.jars", "target/netty-jars"));
            String cp = JAR.toAbsolutePath() + ":" + jars.resolve("netty41-unix-common.jar").toAbsolutePath() + ":"
                    + jars.resolve("netty41-epoll.jar").toAbsolutePath() + ":" + jars.resolve("grpc-netty-shaded.jar").toAbsolutePath();
            String prepare = prepare(prepared, cp, null, "io.netty", "io.grpc.netty.shaded.io.netty");
            assertTrue(prepare.matches("(?s).*5 JDK classes and \\d+ of Netty's woven and kept in .*"), prepare);
            try (var entries = Files.list(prepared)) {
                List<String> names = entries.map(p -> p.getFileName().toString()).toList();
                for (String c : List.of("io.netty.channel.epoll.Native", "io.netty.channel.epoll.LinuxSocket", "io.netty.channel.unix.Socket",
                        "io.grpc.netty.shaded.io.netty.channel.epoll.Native")) {
                    assertTrue(names.stream().anyMatch(n -> n.startsWith("woven-" + c + "-")), c + " kept: " + names);
                }
            }
        } finally {
            deleteTree(prepared);
        }
    }

    @Test
    void aSocketChannelInASelectorsEpollSetBeforeConnectKeepsItsRegistration() throws Exception {
        String out = run(agent(null), org.mptcp4j.programs.SelectorBeforeConnect.class, HOST);
        String epoll = out.lines().filter(l -> l.startsWith("EPOLL ")).findFirst().orElseThrow();
        assertTrue(epoll.matches("EPOLL before=(\\d+) registered=(\\d+) connecting=\\2")
                && !epoll.startsWith("EPOLL before=" + epoll.replaceAll(".*registered=(\\d+).*", "$1") + " "),
                "the fd was in the epoll set before connect() and is there after the swap: " + out);
        assertKernelSawMptcpBothWays(out);
    }

    @Test
    void aClientBoundBeforeConnectKeepsItsAddressAndPort() throws Exception {
        String out = run(agent(null), org.mptcp4j.programs.BindBeforeConnect.class, HOST);
        assertEquals(2, out.lines().filter(l -> l.startsWith("BOUND ")).count(), out);
        assertTrue(out.contains("OK every client kept its port"), "every client connected from the port it bound: " + out);
        assertEquals(2, ns.counter("MPTcpExtMPCapableSYNACKRX"), "both clients MPTCP\n" + out);
    }

    @Test
    void optionsSetBeforeAConnectTimeDecisionReachTheMptcpSocket() throws Exception {
        String tcp = run(List.of(), org.mptcp4j.programs.OptionsBeforeConnect.class, HOST);
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNACKRX"), tcp);
        String mptcp = run(agent(null), org.mptcp4j.programs.OptionsBeforeConnect.class, HOST);
        assertEquals(3, ns.counter("MPTcpExtMPCapableSYNACKRX"), "every client MPTCP\n" + mptcp);
        List<String> read = mptcp.lines().filter(l -> l.matches("(SOCKET|CHANNEL|UNTOUCHED) .*")).collect(java.util.stream.Collectors.toList());
        assertEquals(3, read.size(), mptcp);
        assertEquals(tcp.lines().filter(l -> l.matches("(SOCKET|CHANNEL|UNTOUCHED) .*")).collect(java.util.stream.Collectors.toList()), read,
                "what each client set before connect is on the socket that connected");
    }

    @Test
    void optionsSetBeforeConnectToALoopbackDestinationReachTheTcpSocket() throws Exception {
        String tcp = run(List.of(), org.mptcp4j.programs.OptionsBeforeConnect.class, "127.0.0.1", "urgent");
        String agent = run(agent(null), org.mptcp4j.programs.OptionsBeforeConnect.class, "127.0.0.1", "urgent");
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNRX"), "every client to loopback TCP (the default policy)\n" + agent);
        List<String> read = agent.lines().filter(l -> l.matches("(SOCKET|CHANNEL|UNTOUCHED|URGENT) .*")).collect(java.util.stream.Collectors.toList());
        assertEquals(4, read.size(), agent);
        assertTrue(read.contains("URGENT received=4243 (inline when SO_OOBINLINE is on in the kernel)"), tcp + "\n" + agent);
        assertEquals(tcp.lines().filter(l -> l.matches("(SOCKET|CHANNEL|UNTOUCHED|URGENT) .*")).collect(java.util.stream.Collectors.toList()), read,
                "what each client set before connect, SO_OOBINLINE included (refused while the socket was MPTCP), is on the TCP socket");
    }

    @Test
    void unmodifiedJettyServedToOkHttpUsesMptcp() throws Exception {
        String out = run(agent(null), JettyOkHttp.class, HOST);
        assertKernelSawMptcpBothWays(out);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"TomcatEcho", "UndertowEcho"})
    void unmodifiedServerFrameworkServesMptcp(String name) throws Exception {
        // Undertow (XNIO) sets SO_OOBINLINE on every accepted socket: refused by MPTCP, it used to stop accepting
        String out = run(agent(null), Class.forName("org.mptcp4j.agent.programs." + name), HOST);
        assertKernelSawMptcpBothWays(out);
        assertFalse(out.contains("Socket accept failed"), out);
    }

    @Test
    void everySocketOptionBehavesOnMptcpAsOnTcp() throws Exception {
        List<String> flags = List.of("--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.base/java.net=ALL-UNNAMED");
        String tcp = run(flags, OptionWalk.class);
        // the walk reports each socket's status through the mptcp4j library, which needs its own --add-opens:
        // the agent opens the JDK to itself only
        String mptcp = run(agent("loopback=mptcp", flags.toArray(new String[0])), OptionWalk.class);
        assertEquals(4, mptcp.lines().filter(l -> l.startsWith("STATUS") && l.contains("client=MPTCP")
                && l.contains("accepted=MPTCP") && l.contains("listener=MPTCP")).count(), "the walked sockets were MPTCP:\n" + mptcp);
        List<String> onTcp = tcp.lines().filter(l -> l.startsWith("OPT ")).collect(java.util.stream.Collectors.toList());
        List<String> onMptcp = mptcp.lines().filter(l -> l.startsWith("OPT ")).collect(java.util.stream.Collectors.toList());
        assertTrue(onTcp.size() > 300, "options walked: " + onTcp.size());
        assertEquals(onTcp, onMptcp, "every set and get gives on MPTCP what it gives on TCP");
        assertTrue(mptcp.contains("mptcp4j agent: SO_OOBINLINE on MPTCP sockets: accepted and recorded without effect"), mptcp);
    }

    @Test
    void strictPolicyReportsRefusedOptionsInsteadOfHidingThem() throws Exception {
        String out = run(agent("loopback=mptcp,strict=true", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
                "--add-opens", "java.base/java.net=ALL-UNNAMED"), OptionWalk.class);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("OPT channel accepted inet SO_OOBINLINE") && l.contains("set=ERR")), out);
    }

    @Test
    void attachingToARunningJvmConvertsSocketsCreatedAfterwards() throws Exception {
        try (ChildJvm child = ChildJvm.start(ns, List.of("-XX:+EnableDynamicAgentLoading"), AttachTarget.class, HOST)) {
            String pid = child.awaitLine("READY", 30).split(" ")[1];
            OutputStream stdin = child.stdin();
            stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            child.awaitLine("DONE 1", 30);
            assertEquals(0, ns.counter("MPTcpExtMPCapableSYNRX"), "before attach: plain TCP");
            VirtualMachine vm = VirtualMachine.attach(pid);
            try {
                vm.loadAgent(JAR.toAbsolutePath().toString(), "log=info");
            } finally {
                vm.detach();
            }
            stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            child.awaitLine("DONE 2", 30);
            assertTrue(ns.counter("MPTcpExtMPCapableSYNRX") >= 1, "after attach: MPTCP\n" + child.output());
            assertTrue(child.output().contains("attached: stream sockets created from now on follow"), child.output());
            stdin.close();
            assertEquals(0, child.await(30), child.output());
        }
    }

    @Test
    void badArgumentsLeaveTheAppOnTcpWithOneLine() throws Exception {
        String out = run(agent("mode=sever"), BlockingEcho.class, HOST);
        assertEquals(1, out.lines().filter(l -> l.startsWith("mptcp4j agent: bad value for agent argument mode: \"sever\"")).count(), out);
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNRX"));
    }

    @Test
    void unrecognisedJdkLeavesTheAppOnTcpWithOneLine() throws Exception {
        String out = run(agent(null, "-Dmptcp4j.agent.simulateUnknownJdk=true"), BlockingEcho.class, HOST);
        assertEquals(1, out.lines().filter(l -> l.startsWith("mptcp4j agent: unrecognised JDK")).count(), out);
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNRX"));
    }

    @Test
    void policyExcludeKeepsThatDestinationOnTcp() throws Exception {
        run(agent("exclude=198.18.0.0/24"), BlockingEcho.class, HOST);
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNRX"), "client to an excluded destination stays TCP");
    }

    @Test
    void connectedUdpClientsWorkAsWithoutTheAgent() throws Exception {
        // the default policy decides stream clients at connect; a DatagramChannel or DatagramSocket connects through the same JDK method
        String out = run(agent(null), org.mptcp4j.agent.programs.ConnectedDatagrams.class, HOST);
        assertTrue(out.contains("OK a b c"), out);
        assertTrue(out.contains("MBEAN converted=3"), "the three listeners; not the clients that never connected, nor UDP\n" + out);
        assertTrue(ns.counter("UdpInDatagrams") >= 3, "the kernel delivered the three datagrams\n" + out);
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNTX"), "no stream socket, no MPTCP");
        assertTrue(out.lines().noneMatch(l -> l.startsWith("mptcp4j agent:")), "nothing to say about UDP\n" + out);
    }

    @Test
    void unixDomainChannelsWorkAsWithoutTheAgent() throws Exception {
        String out = run(agent(null), org.mptcp4j.agent.programs.UnixDomainEcho.class);
        assertTrue(out.contains("OK unix ping ping"), out);
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNTX"), "no TCP socket, no MPTCP");
        assertTrue(out.lines().noneMatch(l -> l.startsWith("mptcp4j agent:")), "nothing to say about local IPC\n" + out);
    }

    @Test
    void loopbackClientsStayTcpByDefault() throws Exception {
        run(agent(null), BlockingEcho.class, "127.0.0.1");
        assertEquals(0, ns.counter("MPTcpExtMPCapableSYNRX"));
    }

    @Test
    void jfrEventsMbeanAndKernelAgree(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path jfr = dir.resolve("run.jfr");
        String out = run(agent(null, "-XX:StartFlightRecording=filename=" + jfr + ",dumponexit=true"), AgentCounters.class, HOST);
        long converted = Long.parseLong(out.lines().filter(l -> l.startsWith("MBEAN ")).findFirst().orElseThrow()
                .replaceAll(".*converted=(\\d+).*", "$1"));
        long events = 0;
        try (jdk.jfr.consumer.RecordingFile f = new jdk.jfr.consumer.RecordingFile(jfr)) {
            while (f.hasMoreEvents()) {
                if (f.readEvent().getEventType().getName().equals("org.mptcp4j.SocketConverted")) {
                    events++;
                }
            }
        }
        assertEquals(converted, events, "one JFR event per converted socket");
        assertEquals(converted, ns.counter("MPTcpExtMPCapableSYNRX") + ns.counter("MPTcpExtMPCapableSYNACKRX"),
                "the kernel saw one MP_CAPABLE SYN at the listener and one SYN-ACK at the client");
    }

    @ParameterizedTest(name = "1,000 concurrent clients on {0}")
    @ValueSource(strings = {"threads", "vt", "nio"})
    void aThousandConcurrentConnectionsUnderTheAgentAreAllMptcp(String mode) throws Exception {
        if (mode.equals("vt")) {
            assumeTrue(Runtime.version().feature() >= 21, "virtual threads need JDK 21+");
        }
        String out = run(agent(null), org.mptcp4j.agent.programs.ThousandClients.class, HOST, mode);
        assertTrue(out.contains("OK 1000 clients"), out);
        assertEquals(1000, ns.counter("MPTcpExtMPCapableSYNRX"), "every client connection reached the listener as MPTCP");
        assertEquals(1000, ns.counter("MPTcpExtMPCapableSYNACKRX"), "every client was MPTCP");
    }

    @Test
    void theAgentOpensNoPortsOfItsOwn() throws Exception {
        try (ChildJvm child = ChildJvm.start(ns, agent(null), AttachTarget.class, HOST)) {
            child.awaitLine("READY", 30);
            child.stdin().write("go\n".getBytes(StandardCharsets.UTF_8));
            child.stdin().flush();
            child.awaitLine("DONE 1", 30);
            String listening = ns.exec("ss", "-Hltnp");
            assertTrue(listening.isBlank(), "no listening socket while the app has none open: " + listening);
            child.stdin().close();
            assertEquals(0, child.await(30), child.output());
        }
    }

    @Test
    void jmxFalseAsAnAgentArgumentRegistersNoMbean() throws Exception {
        String on = run(agent(null), org.mptcp4j.agent.programs.MbeanPresence.class, HOST);
        assertTrue(on.contains("MBEAN registered=true"), on);
        String off = run(agent("jmx=false"), org.mptcp4j.agent.programs.MbeanPresence.class, HOST);
        assertTrue(off.contains("MBEAN registered=false thread=false"), off);
    }

    @Test
    void theAgentNeverCreatesThePlatformMbeanServerItself() throws Exception {
        String out = run(agent(null), org.mptcp4j.agent.programs.NoMBeanServer.class, HOST);
        assertKernelSawMptcpBothWays(out);
        assertTrue(out.contains("MBEANSERVERS 0"), "creating it is the application's (or a JMX agent's) call\n" + out);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "nio"})
    void bothEndsOfAConnectionAreCountedNegotiated(String transport) throws Exception {
        // the client when its connect completes, the server when it accepts (a java.net listener or a channel)
        String out = run(agent(null), AgentCounters.class, HOST, transport);
        String line = out.lines().filter(l -> l.startsWith("MBEAN ")).findFirst().orElseThrow();
        assertEquals(1, ns.counter("MPTcpExtMPCapableSYNRX"), out);
        assertEquals(1, ns.counter("MPTcpExtMPCapableSYNACKRX"), out);
        assertEquals(2, Long.parseLong(line.replaceAll(".*negotiated=(\\d+).*", "$1")), "one client, one accepted socket: " + line);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"blocking", "nio"})
    void mbeanCountersAgreeWithTheKernel(String transport) throws Exception {
        // the default policy decides clients at connect: a channel's at its connect() entry, and not again at its Net.connect
        String out = run(agent(null), AgentCounters.class, HOST, transport);
        String line = out.lines().filter(l -> l.startsWith("MBEAN ")).findFirst().orElseThrow();
        long converted = Long.parseLong(line.replaceAll(".*converted=(\\d+).*", "$1"));
        // one listener and one client converted; the kernel saw one MP_CAPABLE SYN and one SYN-ACK
        assertEquals(2, converted, out);
        assertEquals(1, ns.counter("MPTcpExtMPCapableSYNRX"), out);
        assertEquals(1, ns.counter("MPTcpExtMPCapableSYNACKRX"), out);
        assertTrue(line.contains("fellBack=0"), line);
    }
}
