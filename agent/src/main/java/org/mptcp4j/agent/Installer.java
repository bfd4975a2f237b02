package org.mptcp4j.agent;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mptcp4j.internal.engine.Engine;
import org.mptcp4j.internal.engine.Jmx;
import org.mptcp4j.internal.engine.MetricsEndpoint;
import org.mptcp4j.internal.log.Log;
import org.mptcp4j.internal.policy.Policy;
import org.mptcp4j.internal.policy.Setting;
import org.mptcp4j.internal.sys.Linux;

/** Sets the agent up: policy, module access, the boot hook, the transformer. Runs once per JVM. */
public final class Installer {
    private Installer() {}

    private static volatile Policy active;

    public static void install(String args, Instrumentation inst, boolean attached) throws Exception {
        long start = System.nanoTime();
        Policy policy = Policy.fromAgentArgs(args);
        AgentLog.setLevel(policy.logLevel());
        if (policy.error().isPresent()) {
            AgentLog.error(policy.error().get() + "; the agent is off, the application runs on plain TCP");
            return;
        }
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            AgentLog.error("MPTCP needs Linux (os.name=" + System.getProperty("os.name") + "); the agent is off");
            return;
        }
        if (active != null) {
            AgentLog.warn("already active with " + active + "; arguments \"" + args + "\" ignored");
            return;
        }
        Module hookModule = BootJar.install(inst);
        openJdkInternals(inst, hookModule);

        Engine engine = new Engine(policy);
        Log.sendTo(AgentLog::warn, AgentLog::info); // the library's warnings become the agent's one-line stderr messages
        NettySockets.Features features = new NettySockets.Features();
        String suffix = Boolean.getBoolean("mptcp4j.agent.simulateUnknownJdk") ? "$unknown" : "";
        // whatever the transformer touches must be loaded before it is installed: a class it loads from
        // inside transform() would reach transform() again half-defined
        HookPoint.Target.of("");
        SocketTransformer transformer = new SocketTransformer(suffix, features, WovenCache.open(build()));
        Setting.Given jmx = policy.given(Setting.JMX).orElse(null); // no lambda on the premain path (its bootstrap costs ms)
        if (jmx != null) {
            Jmx.agentArgument(jmx); // jmx=false as an agent argument, not only as a property
        }
        HookWiring.wire(engine, features, () -> Jmx.register("agent", policy.toString()));
        try {
            // a jar's manifest may start the agent without Can-Retransform-Classes: classes not loaded yet are still woven
            boolean retransform = inst.isRetransformClassesSupported();
            inst.addTransformer(transformer, retransform);
            List<Class<?>> loaded = new ArrayList<>();
            for (Class<?> c : inst.getAllLoadedClasses()) {
                if (HookPoint.Target.of(c.getName().replace('.', '/')) != null && inst.isModifiableClass(c)) {
                    loaded.add(c);
                }
            }
            if (!loaded.isEmpty() && retransform) {
                inst.retransformClasses(loaded.toArray(new Class<?>[0]));
            } else if (!loaded.isEmpty()) {
                AgentLog.warn(loaded.size() + " socket classes were loaded before the agent and cannot be rewritten without "
                        + "Can-Retransform-Classes: true in the manifest that started it; their sockets stay plain TCP");
            }
        } catch (Throwable t) {
            inst.removeTransformer(transformer);
            HookWiring.unwire(); // woven code that is already there does nothing without a callback
            throw t;
        }
        active = policy;
        // the agent's arguments decide the endpoint before any library socket could (property and environment are in the policy too)
        Setting.Given prometheus = policy.given(Setting.PROMETHEUS).orElse(null);
        MetricsEndpoint.startOnce(prometheus == null ? Setting.PROMETHEUS.defaultValue() : prometheus.value(),
                prometheus == null ? "-D" + Setting.PROMETHEUS.property() : prometheus.origin());
        if (attached) {
            Jmx.register("agent", policy.toString());
            AgentLog.info("attached: stream sockets created from now on follow " + policy);
        } else {
            AgentLog.debug("active: " + policy + " (set up in " + (System.nanoTime() - start) / 1_000_000 + " ms)");
        }
    }

    /** This agent build's name (written into the jar by the build), or null when it runs from class directories. */
    private static String build() {
        try (java.io.InputStream in = Installer.class.getResourceAsStream("build-id")) {
            return in == null ? null : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim().substring(0, 16);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** java.base must read the hook's module, and open what the engine reads reflectively. */
    private static void openJdkInternals(Instrumentation inst, Module hookModule) {
        Module base = Object.class.getModule();
        Module self = Installer.class.getModule();
        inst.redefineModule(base, Set.of(hookModule), Map.of(),
                Map.of("sun.nio.ch", Set.of(self), "java.net", Set.of(self), "java.io", Set.of(self),
                        "java.nio.channels.spi", Set.of(self)),
                Set.of(), Map.of());
    }
}
