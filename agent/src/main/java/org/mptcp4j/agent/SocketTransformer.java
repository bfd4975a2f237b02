package org.mptcp4j.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import org.mptcp4j.agent.HookPoint.Feature;
import org.mptcp4j.agent.HookPoint.Target;

/**
 * Transforms the classes {@link HookPoint.Target} names, when they load (or on retransformation after
 * attach). Every other class is returned untouched after a few string comparisons, so the agent costs
 * nothing at start-up: ASM is loaded only when the first target appears. As a {@code Predicate} (the type
 * {@link LazyAgent}, in another loader, can call) it tells {@link Prepare} which classes the prepared directory holds.
 */
final class SocketTransformer implements ClassFileTransformer, java.util.function.Predicate<String> {
    private final String methodSuffix;
    private final NettySockets.Features features;
    private boolean jdkReported; // under this
    private final WovenCache cache; // null: every start weaves
    private final Installer.State agent;

    SocketTransformer(String methodSuffix, WovenCache cache, Installer.State agent) {
        this.methodSuffix = methodSuffix;
        this.features = agent.features;
        this.agent = agent;
        this.cache = methodSuffix.isEmpty() ? cache : null; // a simulated JDK is woven, not looked up
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefining,
                            ProtectionDomain domain, byte[] bytes) {
        Target target = Target.of(className);
        if (target == null || !agent.activate()) { // the first socket class activates the agent, before its code can run
            return null;
        }
        String name = className.replace('/', '.');
        try {
            long start = System.nanoTime();
            Weaver.Result r = cache == null ? null : cache.get(className, bytes);
            boolean cached = r != null;
            if (!cached) {
                r = Weaver.weave(className, bytes, methodSuffix);
                if (cache != null) {
                    cache.put(className, bytes, r);
                }
            }
            long took = (System.nanoTime() - start) / 1_000_000;
            features.add(target.isNetty() ? target.prefix(className).replace('/', '.') : NettySockets.Features.JDK, r.features());
            if (r.hooked() == 0) {
                features.markUnrecognised(target);
                if (target == Target.JDK_RUNTIME) {
                    AgentLog.debug(unrecognised(target, name)); // costs start-up time only
                } else if (target.isNetty() || firstJdkReport()) { // one line for the JDK
                    AgentLog.warn(unrecognised(target, name));
                }
                return null;
            }
            AgentLog.debug("hooked " + r.hooked() + " methods of " + name + " in " + took + " ms (" + r.features() + ")"
                    + (cached ? " as woven at an earlier start" : ""));
            return r.bytes();
        } catch (Throwable t) {
            AgentLog.warn("cannot instrument " + name + ", its sockets stay plain TCP: " + t);
            return null;
        }
    }

    /** Whether the prepared woven-class directory holds the class of this binary name as this JVM wove or read it. */
    @Override
    public boolean test(String binaryName) {
        return cache != null && cache.keptAhead(binaryName);
    }

    private synchronized boolean firstJdkReport() {
        boolean first = !jdkReported;
        jdkReported = true;
        return first;
    }

    private static String unrecognised(Target target, String name) {
        switch (target) {
            case JDK_NET:
                return "unrecognised JDK (java.version " + System.getProperty("java.version") + "): sun.nio.ch.Net"
                        + " has no stream-socket methods of a known shape; those sockets stay plain TCP";
            case JDK_SOCKET_CHANNEL:
                return "unrecognised JDK (java.version " + System.getProperty("java.version") + "): " + name
                        + " has no connect(SocketAddress) of a known shape; non-blocking JDK clients stay plain TCP";
            case JDK_RUNTIME:
                return "unrecognised JDK (java.version " + System.getProperty("java.version") + "): java.lang.Runtime has no "
                        + "load0 or loadLibrary0 of a known shape; the agent keeps watching class loading";
            case JDK_SERVER_SOCKET_CHANNEL:
            case JDK_SOCKET_IMPL:
                return "unrecognised JDK (java.version " + System.getProperty("java.version") + "): " + name
                        + " has no accept method of a known shape; the MPTCP outcome of the connections it accepts is not counted";
            default:
                return "unrecognised Netty: " + name + " has no methods of a shape mptcp4j knows ("
                        + Feature.values().length + " features checked); its sockets stay plain TCP";
        }
    }
}
