package org.mptcp4j.agent;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * Transforms exactly two classes, when they load (or on retransformation after attach):
 * {@code sun.nio.ch.Net} and Netty's {@code io.netty.channel.unix.Socket}. Every other class is
 * returned untouched after one string comparison, so the agent costs nothing at start-up: ASM is
 * loaded only when the first of the two classes appears.
 */
final class SocketTransformer implements ClassFileTransformer {
    private final String methodSuffix;

    SocketTransformer(String methodSuffix) {
        this.methodSuffix = methodSuffix;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefining,
                            ProtectionDomain domain, byte[] bytes) {
        if (className == null || !(className.equals(Weaver.NET) || className.equals(Weaver.NETTY_SOCKET))) {
            return null;
        }
        try {
            long start = System.nanoTime();
            Weaver.Result r = Weaver.weave(className, bytes, methodSuffix);
            long took = (System.nanoTime() - start) / 1_000_000;
            if (r.hooked() == 0) {
                AgentLog.warn("unrecognised " + (className.equals(Weaver.NET) ? "JDK (java.version "
                        + System.getProperty("java.version") + "): sun.nio.ch.Net" : "Netty: io.netty.channel.unix.Socket")
                        + " has no stream-socket methods of a known shape; those sockets stay plain TCP");
                return null;
            }
            AgentLog.debug("hooked " + r.hooked() + " methods of " + className.replace('/', '.') + " in " + took + " ms");
            return r.bytes();
        } catch (Throwable t) {
            AgentLog.warn("cannot instrument " + className.replace('/', '.') + ", its sockets stay plain TCP: " + t);
            return null;
        }
    }
}
