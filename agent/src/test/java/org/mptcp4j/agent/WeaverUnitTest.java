package org.mptcp4j.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mptcp4j.agent.HookPoint.Feature;
import org.mptcp4j.agent.HookPoint.Target;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.objectweb.asm.util.CheckClassAdapter;

/**
 * The hook table against real class files, without root or a child JVM: the running JDK's, the shapes
 * of JDK 17, 21 and 25 (CI runs two of them), and Netty 4.1, 4.2 and gRPC's relocated copy as
 * published. Every woven class must pass ASM's bytecode verifier.
 */
class WeaverUnitTest {
    static final Set<Feature> NET = EnumSet.of(Feature.CREATE, Feature.CONNECT, Feature.OPTIONS, Feature.OUTCOME);

    static byte[] jdkClass(String internalName) throws IOException {
        try (InputStream in = Object.class.getResourceAsStream("/" + internalName + ".class")) {
            assertNotNull(in, internalName);
            return in.readAllBytes();
        }
    }

    /** Woven bytes that the verifier takes (frames, stack, types), or the verifier's complaint. */
    static void assertVerifies(byte[] woven) {
        StringWriter problems = new StringWriter();
        CheckClassAdapter.verify(new ClassReader(woven), WeaverUnitTest.class.getClassLoader(), false, new PrintWriter(problems));
        assertEquals("", problems.toString(), "the verifier's view of the woven class");
    }

    @Test
    void theRunningJdksNetHasEveryHookPoint() throws IOException {
        Weaver.Result r = Weaver.weave("sun/nio/ch/Net", jdkClass("sun/nio/ch/Net"), "");
        Set<Feature> expected = EnumSet.copyOf(NET);
        expected.add(Feature.CREATE_IN_PLACE);
        assertEquals(expected, r.features());
        assertEquals(8, r.hooked(), "the socket, serverSocket and connect that make the native call, pollConnectNow, 4 option methods");
        assertVerifies(r.bytes());
    }

    @Test
    void theRunningJdksSocketChannelImplHasItsConnectAndCloseHooks() throws IOException {
        Weaver.Result r = Weaver.weave("sun/nio/ch/SocketChannelImpl", jdkClass("sun/nio/ch/SocketChannelImpl"), "");
        assertEquals(EnumSet.of(Feature.SELECTOR_REGISTRATION, Feature.CLOSE), r.features());
        assertEquals(2, r.hooked());
        assertVerifies(r.bytes());
    }

    @Test
    void theRunningJdksAcceptingClassesHaveTheirOutcomeHooks() throws IOException {
        Weaver.Result channel = Weaver.weave("sun/nio/ch/ServerSocketChannelImpl", jdkClass("sun/nio/ch/ServerSocketChannelImpl"), "");
        assertEquals(EnumSet.of(Feature.OUTCOME), channel.features());
        assertEquals(1, channel.hooked());
        assertVerifies(channel.bytes());
        Weaver.Result impl = Weaver.weave("sun/nio/ch/NioSocketImpl", jdkClass("sun/nio/ch/NioSocketImpl"), "");
        assertEquals(EnumSet.of(Feature.OUTCOME, Feature.CLOSE), impl.features(), "accept, and close for the JFR record");
        assertEquals(2, impl.hooked());
        assertVerifies(impl.bytes());
    }

    /**
     * A class with exactly the given methods and fields ({"field", name, descriptor}): a JDK's shape without that JDK.
     * A method's body returns a default value, after calling {@code m[3]} (a method of the class, "name(descriptor)") if given.
     */
    static byte[] synthetic(String internalName, List<String[]> methods) {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, internalName, null, "java/lang/Object", null);
        for (String[] m : methods) {
            if (m[0].equals("field")) {
                w.visitField(Opcodes.ACC_PRIVATE | Opcodes.ACC_FINAL, m[1], m[2], null, null).visitEnd();
                continue;
            }
            boolean isStatic = m[0].equals("static");
            MethodVisitor mv = w.visitMethod(isStatic ? Opcodes.ACC_STATIC : 0, m[1], m[2], null, new String[] {"java/io/IOException"});
            mv.visitCode();
            if (m.length > 3 && m[3] != null) {
                String callee = m[3].substring(0, m[3].indexOf('('));
                String calleeDesc = m[3].substring(callee.length());
                for (Type t : Type.getArgumentTypes(calleeDesc)) {
                    mv.visitInsn(t.getSort() == Type.OBJECT ? Opcodes.ACONST_NULL : Opcodes.ICONST_0);
                }
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, internalName, callee, calleeDesc, false);
                mv.visitInsn(Opcodes.POP);
            }
            Type ret = Type.getReturnType(m[2]);
            switch (ret.getSort()) {
                case Type.VOID:
                    mv.visitInsn(Opcodes.RETURN);
                    break;
                case Type.BOOLEAN: case Type.INT:
                    mv.visitInsn(Opcodes.ICONST_0);
                    mv.visitInsn(Opcodes.IRETURN);
                    break;
                default:
                    mv.visitInsn(Opcodes.ACONST_NULL);
                    mv.visitInsn(Opcodes.ARETURN);
            }
            mv.visitMaxs(0, 0);
            mv.visitEnd();
        }
        w.visitEnd();
        return w.toByteArray();
    }

    /**
     * The shape file of one JDK: class -> its methods as {static|instance, name, descriptor, the method of the class it
     * calls or null} and the fields hooks read, {field, name, descriptor}.
     */
    static Map<String, List<String[]>> shapes(int jdk) throws IOException {
        Map<String, List<String[]>> byClass = new LinkedHashMap<>();
        try (InputStream in = WeaverUnitTest.class.getResourceAsStream("/jdk-shapes/jdk" + jdk + ".txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                String calls = f.length > 4 && f[4].startsWith("calls=") ? f[4].substring("calls=".length()) : null;
                byClass.computeIfAbsent(f[0].replace('.', '/'), k -> new java.util.ArrayList<>()).add(new String[] {f[1], f[2], f[3], calls});
            }
        }
        return byClass;
    }

    @ParameterizedTest(name = "JDK {0}")
    @ValueSource(ints = {17, 21, 25})
    void everySupportedJdksShapeIsHooked(int jdk) throws IOException {
        Map<String, List<String[]>> classes = shapes(jdk);
        Weaver.Result net = Weaver.weave("sun/nio/ch/Net", synthetic("sun/nio/ch/Net", classes.get("sun/nio/ch/Net")), "");
        Set<Feature> expected = EnumSet.copyOf(NET);
        expected.add(Feature.CREATE_IN_PLACE);
        assertEquals(expected, net.features(), "JDK " + jdk + " Net");
        assertEquals(8, net.hooked(), "JDK " + jdk + ": the socket, serverSocket and connect that make the native call, "
                + "pollConnectNow, 2 set and 2 get option methods");
        assertVerifies(net.bytes());
        Weaver.Result channel = Weaver.weave("sun/nio/ch/SocketChannelImpl",
                synthetic("sun/nio/ch/SocketChannelImpl", classes.get("sun/nio/ch/SocketChannelImpl")), "");
        assertEquals(EnumSet.of(Feature.SELECTOR_REGISTRATION), channel.features(), "JDK " + jdk + " SocketChannelImpl");
        for (String accepting : List.of("sun/nio/ch/ServerSocketChannelImpl", "sun/nio/ch/NioSocketImpl")) {
            Weaver.Result r = Weaver.weave(accepting, synthetic(accepting, classes.get(accepting)), "");
            assertEquals(EnumSet.of(Feature.OUTCOME), r.features(), "JDK " + jdk + " " + accepting);
            assertVerifies(r.bytes());
        }
        Weaver.Result runtime = Weaver.weave("java/lang/Runtime", synthetic("java/lang/Runtime", classes.get("java/lang/Runtime")), "");
        assertEquals(EnumSet.of(Feature.LIBRARIES), runtime.features(), "JDK " + jdk + " Runtime");
        assertEquals(2, runtime.hooked(), "JDK " + jdk + ": load0 and loadLibrary0");
        assertVerifies(runtime.bytes());
    }

    @Test
    void ofNestedSocketAndConnectVariantsOnlyTheOneMakingTheNativeCallIsHooked() {
        String fd = "Ljava/io/FileDescriptor;";
        Weaver.Result r = Weaver.weave("sun/nio/ch/Net", synthetic("sun/nio/ch/Net", List.of(
                new String[] {"static", "socket", "(Z)" + fd, "socket(Ljava/net/ProtocolFamily;Z)" + fd},
                new String[] {"static", "socket", "(Ljava/net/ProtocolFamily;Z)" + fd, HookPoint.SOCKET0},
                new String[] {"static", "connect", "(" + fd + "Ljava/net/InetAddress;I)I", "connect(Ljava/net/ProtocolFamily;" + fd
                        + "Ljava/net/InetAddress;I)I"},
                new String[] {"static", "connect", "(Ljava/net/ProtocolFamily;" + fd + "Ljava/net/InetAddress;I)I", HookPoint.CONNECT0})), "");
        assertEquals(2, r.hooked(), "one socket and one connect: each socket is seen once");
        assertEquals(EnumSet.of(Feature.CREATE, Feature.CREATE_IN_PLACE, Feature.CONNECT), r.features());
        assertVerifies(r.bytes());
    }

    @Test
    void aSocketMethodThatNoLongerMakesTheNativeCallItselfIsNotHooked() {
        String fd = "Ljava/io/FileDescriptor;";
        Weaver.Result r = Weaver.weave("sun/nio/ch/Net", synthetic("sun/nio/ch/Net", List.<String[]>of(
                new String[] {"static", "socket", "(Ljava/net/ProtocolFamily;Z)" + fd, "newSocket(ZZZZ)I"})), "");
        assertEquals(0, r.hooked(), "a JDK that moved the call elsewhere: its sockets are not seen, which the agent reports");
        assertNull(r.bytes());
    }

    @Test
    void aServerSocketChannelWithoutItsFdFieldKeepsItsAcceptUnhooked() {
        // the woven finishAccept reads the listener's FileDescriptor from the channel's own field: no field, no hook
        String name = "sun/nio/ch/ServerSocketChannelImpl";
        Weaver.Result r = Weaver.weave(name, synthetic(name, List.<String[]>of(new String[] {"instance", "finishAccept",
                "(Ljava/io/FileDescriptor;Ljava/net/SocketAddress;)Ljava/nio/channels/SocketChannel;"})), "");
        assertEquals(0, r.hooked());
        assertNull(r.bytes());
    }

    /** A Net whose socket(ProtocolFamily, boolean) calls socket0 and then branches (so has a frame after the call). */
    private static byte[] netWithFrameAfterSocket0() {
        ClassWriter w = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        w.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "sun/nio/ch/Net", null, "java/lang/Object", null);
        w.visitMethod(Opcodes.ACC_STATIC | Opcodes.ACC_NATIVE | Opcodes.ACC_PRIVATE, "socket0", "(ZZZZ)I", null, null).visitEnd();
        MethodVisitor mv = w.visitMethod(Opcodes.ACC_STATIC, "socket", "(Ljava/net/ProtocolFamily;Z)Ljava/io/FileDescriptor;", null, null);
        mv.visitCode();
        mv.visitInsn(Opcodes.ICONST_1);
        mv.visitVarInsn(Opcodes.ILOAD, 1);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitInsn(Opcodes.ICONST_0);
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, "sun/nio/ch/Net", "socket0", "(ZZZZ)I", false);
        org.objectweb.asm.Label positive = new org.objectweb.asm.Label();
        mv.visitJumpInsn(Opcodes.IFGE, positive);
        mv.visitInsn(Opcodes.ACONST_NULL);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitLabel(positive);
        mv.visitTypeInsn(Opcodes.NEW, "java/io/FileDescriptor");
        mv.visitInsn(Opcodes.DUP);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/io/FileDescriptor", "<init>", "()V", false);
        mv.visitInsn(Opcodes.ARETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        w.visitEnd();
        return w.toByteArray();
    }

    @Test
    void aFrameAfterTheSocket0CallLeavesTheJdksOwnCall() {
        Weaver.Result r = Weaver.weave("sun/nio/ch/Net", netWithFrameAfterSocket0(), "");
        assertEquals(EnumSet.of(Feature.CREATE), r.features(), "seen when created, not created in place");
        assertVerifies(r.bytes());
        assertTrue(calls(r.bytes(), "sun/nio/ch/Net", "socket0"), "the JDK's socket0 call stays");
        assertTrue(!calls(r.bytes(), "org/mptcp4j/agent/boot/MptcpHook", "socket0"), "no call to the hook's socket0");
    }

    @Test
    void theRunningJdksSocket0CallGoesThroughTheHookAndStaysAsTheFallback() throws IOException {
        byte[] woven = Weaver.weave("sun/nio/ch/Net", jdkClass("sun/nio/ch/Net"), "").bytes();
        assertTrue(calls(woven, "org/mptcp4j/agent/boot/MptcpHook", "socket0"), "the hook is asked first");
        assertTrue(calls(woven, "sun/nio/ch/Net", "socket0"), "the JDK's own call remains for when the hook declines");
    }

    /** Whether any method of the class calls {@code owner.name}. */
    private static boolean calls(byte[] bytes, String owner, String name) {
        boolean[] found = {false};
        new ClassReader(bytes).accept(new org.objectweb.asm.ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String n, String d, String sig, String[] ex) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String o, String mn, String md, boolean itf) {
                        found[0] |= o.equals(owner) && mn.equals(name);
                    }
                };
            }
        }, 0);
        return found[0];
    }

    @Test
    void loadedClassesAreMatchedToTheirTargetsByBinaryName() {
        assertEquals(Target.JDK_NET, Target.ofLoaded("sun.nio.ch.Net"));
        assertEquals(Target.NETTY_SOCKET, Target.ofLoaded("io.grpc.netty.shaded.io.netty.channel.unix.Socket"));
        assertEquals(Target.NETTY_EPOLL_NATIVE, Target.ofLoaded("io.netty.channel.epoll.Native"));
        assertNull(Target.ofLoaded("java.net.Socket"), "a JDK class of a target's simple name");
        assertNull(Target.ofLoaded("sun.nio.ch.NetHooks"));
        assertNull(Target.ofLoaded("Net"));
    }

    @Test
    void anUnknownJdkShapeIsLeftAlone() throws IOException {
        Weaver.Result r = Weaver.weave("sun/nio/ch/Net", jdkClass("sun/nio/ch/Net"), "$unknown");
        assertEquals(0, r.hooked());
        assertNull(r.bytes(), "the class is not rewritten");
    }

    static Path nettyJar(String name) {
        return Path.of(System.getProperty("mptcp4j.netty.jars", "target/netty-jars"), name);
    }

    /** Weaves every Netty target class found in {@code jars}; returns the features per package prefix. */
    static Map<String, Set<Feature>> weaveNetty(String... jars) throws IOException {
        Map<String, Set<Feature>> features = new LinkedHashMap<>();
        for (String jar : jars) {
            try (ZipFile zip = new ZipFile(nettyJar(jar).toFile())) {
                for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                    if (!e.getName().endsWith(".class")) {
                        continue;
                    }
                    String name = e.getName().substring(0, e.getName().length() - ".class".length());
                    Target t = Target.of(name);
                    if (t == null || !t.isNetty()) {
                        continue;
                    }
                    Weaver.Result r;
                    try (InputStream in = zip.getInputStream(e)) {
                        r = Weaver.weave(name, in.readAllBytes(), "");
                    }
                    assertTrue(r.hooked() > 0, "a Netty target with nothing hooked: " + name);
                    features.computeIfAbsent(t.prefix(name).replace('/', '.'), k -> EnumSet.noneOf(Feature.class)).addAll(r.features());
                }
            }
        }
        return features;
    }

    @Test
    void netty41EpollHasCreateConnectOptionsAndRegistrationHooks() throws IOException {
        assertEquals(Map.of("io.netty", EnumSet.of(Feature.CREATE, Feature.CONNECT, Feature.OPTIONS, Feature.EPOLL_REGISTRATION, Feature.OUTCOME,
                        Feature.CLOSE)),
                weaveNetty("netty41-unix-common.jar", "netty41-epoll.jar"));
    }

    @Test
    void netty42HasTheEpollAndIoUringHooks() throws IOException {
        assertEquals(Map.of("io.netty", EnumSet.of(Feature.CREATE, Feature.CONNECT, Feature.OPTIONS, Feature.EPOLL_REGISTRATION,
                        Feature.OUTCOME, Feature.URING_CONNECT, Feature.URING_READ, Feature.URING_READ_LOOP, Feature.CLOSE)),
                weaveNetty("netty42-unix-common.jar", "netty42-epoll.jar", "netty42-io_uring.jar"));
    }

    @Test
    void grpcsRelocatedNettyIsRecognisedUnderItsOwnPrefix() throws IOException {
        Map<String, Set<Feature>> features = weaveNetty("grpc-netty-shaded.jar");
        assertEquals(Set.of("io.grpc.netty.shaded.io.netty"), features.keySet());
        assertTrue(features.get("io.grpc.netty.shaded.io.netty").containsAll(
                EnumSet.of(Feature.CREATE, Feature.CONNECT, Feature.EPOLL_REGISTRATION)), features.toString());
    }

    @Test
    void everyWovenNettyClassVerifies() throws IOException {
        for (String jar : List.of("netty41-unix-common.jar", "netty41-epoll.jar", "netty42-unix-common.jar", "netty42-epoll.jar",
                "netty42-io_uring.jar")) {
            try (ZipFile zip = new ZipFile(nettyJar(jar).toFile())) {
                for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                    String name = e.getName().replace(".class", "");
                    Target t = Target.of(name);
                    if (e.getName().endsWith(".class") && t != null && t.isNetty()) {
                        try (InputStream in = zip.getInputStream(e)) {
                            Weaver.Result r = Weaver.weave(name, in.readAllBytes(), "");
                            // types across Netty's classes would need all of Netty loaded: check stack and locals per method
                            org.objectweb.asm.tree.ClassNode node = new org.objectweb.asm.tree.ClassNode();
                            new ClassReader(r.bytes()).accept(node, 0);
                            for (org.objectweb.asm.tree.MethodNode m : node.methods) {
                                try {
                                    new org.objectweb.asm.tree.analysis.Analyzer<>(new org.objectweb.asm.tree.analysis.BasicVerifier())
                                            .analyze(node.name, m);
                                } catch (org.objectweb.asm.tree.analysis.AnalyzerException ex) {
                                    throw new AssertionError(jar + " " + name + "." + m.name + m.desc + ": " + ex.getMessage(), ex);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void aClassNamedLikeNettysSocketWithoutItsShapeIsNotTouched() {
        byte[] impostor = synthetic("com/example/channel/unix/Socket", List.<String[]>of(new String[] {"instance", "connect", "(I)V"}));
        Weaver.Result r = Weaver.weave("com/example/channel/unix/Socket", impostor, "");
        assertEquals(0, r.hooked());
        assertEquals(Target.NETTY_SOCKET, Target.of("com/example/channel/unix/Socket"));
    }

    @Test
    void targetsAreFoundByTheEndOfTheirNameOnlyForNetty() {
        assertEquals(Target.JDK_NET, Target.of("sun/nio/ch/Net"));
        assertNull(Target.of("com/example/sun/nio/ch/Net"), "the JDK's classes by exact name");
        assertEquals(Target.NETTY_EPOLL_NATIVE, Target.of("io/grpc/netty/shaded/io/netty/channel/epoll/Native"));
        assertEquals("io/grpc/netty/shaded/io/netty", Target.NETTY_EPOLL_NATIVE.prefix("io/grpc/netty/shaded/io/netty/channel/epoll/Native"));
        assertNull(Target.of("/channel/unix/Socket"), "a suffix alone is not a class");
        assertNull(Target.of("java/lang/String"));
        assertTrue(Files.isRegularFile(nettyJar("netty41-epoll.jar")), "the Netty jars are in place for the tests above");
    }
}
