package org.mptcp4j.benchmarks.agents;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/** The floor under any agent that rewrites classes: a transformer that changes none, registered at premain. */
public final class NoOpTransformerAgent implements ClassFileTransformer {
    public static void premain(String args, Instrumentation inst) {
        inst.addTransformer(new NoOpTransformerAgent(), true);
    }

    public static void agentmain(String args, Instrumentation inst) {}

    @Override
    public byte[] transform(Module module, ClassLoader loader, String name, Class<?> redefining, ProtectionDomain domain, byte[] bytes) {
        return null;
    }
}
