package org.mptcp4j.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mptcp4j.agent.HookPoint.Target;
import org.mptcp4j.internal.policy.Setting;

/** The agent's first tier ({@link Agent}): which classes wake the rest of it, and what it reads at premain. */
class LazyAgentUnitTest {
    private static Set<String> names(boolean exact) {
        Set<String> s = new TreeSet<>();
        for (Target t : Target.values()) {
            if (t.isExact() == exact) {
                s.add(t.pattern());
            }
        }
        return s;
    }

    @Test
    void theEntryClassKnowsExactlyTheHookTablesTargets() {
        assertEquals(names(true), new TreeSet<>(Arrays.asList(LazyAgent.EXACT_TARGETS)), "exact names");
        assertEquals(names(false), new TreeSet<>(Arrays.asList(LazyAgent.SUFFIX_TARGETS)), "Netty's name ends");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sun/nio/ch/Net", "sun/nio/ch/NioSocketImpl", "io/netty/channel/epoll/LinuxSocket",
        "io/grpc/netty/shaded/io/netty/channel/unix/Socket", "io/netty/channel/uring/AbstractIoUringStreamChannel"})
    void aTargetWakesTheAgentByInternalAndByBinaryName(String internalName) {
        assertTrue(LazyAgent.isTarget(internalName, '/'), internalName);
        assertTrue(LazyAgent.isTarget(internalName.replace('/', '.'), '.'), internalName);
        assertEquals(Target.of(internalName) != null, true, "the hook table agrees: " + internalName);
    }

    @ParameterizedTest
    @ValueSource(strings = {"java/net/Socket", "java/io/FileDescriptor", "sun/nio/ch/NetHooks", "xsun/nio/ch/Net",
        "/channel/unix/Socket", "io/netty/channel/unix/SocketWritableByteChannel", "org/example/Net", "Net"})
    void anyOtherClassLeavesItAsleep(String internalName) {
        assertFalse(LazyAgent.isTarget(internalName, '/'), internalName);
        assertFalse(LazyAgent.isTarget(internalName.replace('/', '.'), '.'), internalName);
    }

    @Test
    void aBinaryNameIsNotTakenForAnInternalOne() {
        assertFalse(LazyAgent.isTarget("sun.nio.ch.Net", '/'));
        assertFalse(LazyAgent.isTarget("sun/nio/ch/Net", '.'));
    }

    @Test
    void onlyTheJdksClassesAndTheAgentsOwnMeanNothingRanBeforePremain() {
        assertFalse(LazyAgent.othersRan(new Class<?>[] {Object.class, String.class, LazyAgent.class}));
        assertTrue(LazyAgent.othersRan(new Class<?>[] {Object.class, LazyAgentUnitTest.class}), "a class of the application loader's");
    }

    @Test
    void thePrometheusSettingItChecksAtPremainIsThePolicys() {
        assertEquals(Setting.PROMETHEUS.key(), LazyAgent.PROMETHEUS_KEY);
        assertEquals(Setting.PROMETHEUS.property(), LazyAgent.PROMETHEUS_PROPERTY);
        assertEquals(Setting.PROMETHEUS.environmentVariable(), LazyAgent.PROMETHEUS_VARIABLE);
    }

    @Test
    void theSocketSignsAreJdkClassesThatTheSocketClassesExtend() throws Exception {
        // a hint only (the set-up loads the list ahead anyway): the JDK's socket factories and channels' open() name
        // these parents, and every bind or connect an address, before the classes the agent rewrites
        assertTrue(java.net.SocketImpl.class.isAssignableFrom(Class.forName("sun.nio.ch.NioSocketImpl", false, null)));
        assertTrue(java.nio.channels.NetworkChannel.class.isAssignableFrom(java.nio.channels.SocketChannel.class));
        assertTrue(java.nio.channels.NetworkChannel.class.isAssignableFrom(java.nio.channels.ServerSocketChannel.class));
        for (String sign : LazyAgent.SOCKET_SIGNS) {
            assertEquals(null, Class.forName(sign.replace('/', '.'), false, null).getClassLoader(), sign);
        }
    }
}
