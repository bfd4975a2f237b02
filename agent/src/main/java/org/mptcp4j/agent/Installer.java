package org.mptcp4j.agent;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mptcp4j.internal.engine.Engine;
import org.mptcp4j.internal.engine.Jmx;
import org.mptcp4j.internal.engine.MetricsEndpoint;
import org.mptcp4j.internal.log.Log;
import org.mptcp4j.internal.policy.Policy;
import org.mptcp4j.internal.policy.Setting;
import org.mptcp4j.internal.sys.ModuleAccess;

/**
 * Sets the agent up, once per JVM, in two steps, inside the agent's own class loader. {@link LazyAgent} runs
 * {@link #install} when the first socket class is about to load: it makes the transformer that weaves it.
 * {@link #activate} does the rest (policy, the boot hook, module access, the engine) before that class's
 * woven code can run; at attach, or when something must start with the JVM (a Prometheus endpoint), right away.
 */
public final class Installer {
    private Installer() {}

    private static volatile Installer.State state;

    /** Started by {@link LazyAgent}: its initialiser installs the agent with what Agent handed off. */
    static final class Start {
        private Start() {}

        static {
            Object[] h = LazyAgent.handOff();
            try {
                @SuppressWarnings("unchecked")
                List<Class<?>> loaded = (List<Class<?>>) h[4];
                install((String) h[0], (Instrumentation) h[1], (Boolean) h[2], (LazyAgent) h[3], loaded, (Boolean) h[5]);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e.toString(), e);
            }
        }
    }

    /** What {@link #activate} needs, and what it made. */
    static final class State {
        private final String args;
        private final Instrumentation inst;
        private final boolean attached;
        final NettySockets.Features features = new NettySockets.Features();
        private Thread activating;
        private volatile Boolean active; // null until activated: whether the agent is on

        State(String args, Instrumentation inst, boolean attached) {
            this.args = args;
            this.inst = inst;
            this.attached = attached;
        }

        /**
         * Whether the agent is on, activating it first if needed. The thread activating sees true while
         * it does (a socket class it loads meanwhile is woven; nothing runs the woven code before the
         * hook is wired).
         */
        boolean activate() {
            Boolean a = active;
            if (a != null) {
                return a;
            }
            synchronized (this) {
                if (active != null) {
                    return active;
                }
                if (activating == Thread.currentThread()) {
                    return true;
                }
                activating = Thread.currentThread();
                boolean on = false;
                try {
                    on = Installer.activate(this);
                } catch (Throwable t) {
                    AgentLog.error("disabled, the application runs on plain TCP: " + t);
                } finally {
                    activating = null;
                    active = on;
                }
                return on;
            }
        }
    }

    /**
     * Installs the agent for {@code agent}, which hands every target class to the transformer made here;
     * activates it at once when {@code now} (at attach, or for a Prometheus endpoint, which starts with the
     * JVM); rewrites the target classes already {@code loaded}.
     */
    static void install(String args, Instrumentation inst, boolean attached, LazyAgent agent, List<Class<?>> loaded, boolean now)
            throws Exception {
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            AgentLog.error("MPTCP needs Linux (os.name=" + System.getProperty("os.name") + "); the agent is off");
            return;
        }
        if (state != null) {
            AgentLog.warn("already active; arguments \"" + args + "\" ignored");
            return;
        }
        State s = new State(args, inst, attached);
        state = s;
        FirstSocketClasses.loadAhead(); // while this thread weaves the first class and activates
        String suffix = Boolean.getBoolean("mptcp4j.agent.simulateUnknownJdk") ? "$unknown" : "";
        agent.delegateTo(new SocketTransformer(suffix, WovenCache.open(), s)); // first: activation may load a target class
        agent.eagerBy(new WeaveAhead(s, agent));
        if (now) {
            if (!s.activate()) {
                return;
            }
        }
        if (loaded.isEmpty()) {
            return;
        }
        if (!inst.isRetransformClassesSupported()) {
            AgentLog.warn(loaded.size() + " socket classes were loaded before the agent and cannot be rewritten without "
                    + "Can-Retransform-Classes: true in the manifest that started it; their sockets stay plain TCP");
        } else if (s.activate()) {
            try {
                inst.retransformClasses(loaded.toArray(new Class<?>[0]));
            } catch (Throwable t) {
                HookWiring.unwire(); // woven code that is already there does nothing without a callback
                throw t;
            }
        }
    }

    /**
     * Run when the application has loaded many classes (see {@link LazyAgent}): weaves the JDK's socket classes before
     * they are needed and hooks native library loading, so that the agent can stop watching class loading. Netty's
     * classes can do nothing before their native library loads, and the agent watches again from that moment.
     */
    private static final class WeaveAhead implements Runnable {
        private final State state;
        private final LazyAgent agent;

        WeaveAhead(State state, LazyAgent agent) {
            this.state = state;
            this.agent = agent;
        }

        @Override
        public void run() {
            try {
                for (HookPoint.Target t : HookPoint.Target.values()) {
                    if (t.isExact() && t != HookPoint.Target.JDK_RUNTIME) {
                        Class.forName(t.pattern().replace('/', '.'), false, null); // woven as it loads; the first activates
                    }
                }
                if (!state.activate()) {
                    agent.letGo(); // off: nothing is ever woven
                    return;
                }
                HookWiring.watchLibraries(new LibraryWatch(agent));
                state.inst.retransformClasses(Runtime.class);
                if (!state.features.has(NettySockets.Features.JDK, HookPoint.Feature.LIBRARIES)) {
                    return; // the transformer said why
                }
                String netty = agent.nativeTransportLoaded();
                if (netty != null) { // its library may have loaded before the hook: no way to tell
                    AgentLog.debug("keeps watching class loading: Netty's native transport may be loaded (" + netty + ")");
                } else if (agent.letGo()) {
                    AgentLog.debug("stopped watching class loading: the JDK's socket classes are woven, Netty's native "
                            + "transport will be heard of when its library loads");
                }
            } catch (Throwable t) {
                AgentLog.debug("keeps watching class loading: " + t);
            }
        }

    }

    /** Told each native library the JVM loads (through the woven Runtime): Netty's native transport takes the agent back. */
    static final class LibraryWatch implements java.util.function.Consumer<String> {
        private final LazyAgent agent;

        LibraryWatch(LazyAgent agent) {
            this.agent = agent;
        }

        @Override
        public void accept(String name) {
            // Netty names its transports' libraries netty_transport_native_<transport>, relocated copies with a prefix
            if (name.substring(name.lastIndexOf('/') + 1).contains("netty_transport_native")) {
                try {
                    if (agent.takeBack()) {
                        AgentLog.debug("watching class loading again: Netty's native transport is loading " + name);
                    }
                } catch (Exception e) {
                    AgentLog.warn("Netty's classes loaded before its native library " + name + " could not be rewritten, "
                            + "their sockets may stay plain TCP: " + e);
                }
            }
        }
    }

    /** The policy, the boot hook, module access, the engine: whether the agent is on. */
    private static boolean activate(State s) throws Exception {
        long start = System.nanoTime();
        Policy policy = Policy.fromAgentArgs(s.args);
        AgentLog.setLevel(policy.logLevel());
        if (policy.error().isPresent()) {
            AgentLog.error(policy.error().get() + "; the agent is off, the application runs on plain TCP");
            return false;
        }
        if (Runtime.version().feature() >= 24) { // JNI is restricted from JDK 24 on
            ModuleAccess.beforeLibraryLoad(new JavaLangForLibrary(s.inst));
        }
        Module hookModule = BootJar.install(s.inst);
        openJdkInternals(s.inst, hookModule);

        Engine engine = new Engine(policy);
        Log.sendTo(new AgentLog.Sink(AgentLog.WARNING), new AgentLog.Sink(AgentLog.INFO)); // the library's warnings become the agent's lines
        Setting.Given jmx = policy.given(Setting.JMX).orElse(null);
        if (jmx != null) {
            Jmx.agentArgument(jmx); // jmx=false as an agent argument, not only as a property
        }
        HookWiring.wire(engine, s.features, policy.toString()); // registered with JMX at the first socket
        // the agent's arguments decide the endpoint before any library socket could (property and environment are in the policy too)
        Setting.Given prometheus = policy.given(Setting.PROMETHEUS).orElse(null);
        MetricsEndpoint.startOnce(prometheus == null ? Setting.PROMETHEUS.defaultValue() : prometheus.value(),
                prometheus == null ? "-D" + Setting.PROMETHEUS.property() : prometheus.origin());
        if (s.attached) {
            Jmx.register("agent", policy.toString());
            AgentLog.info("attached: stream sockets created from now on follow " + policy);
        } else {
            AgentLog.debug("active: " + policy + " (set up in " + (System.nanoTime() - start) / 1_000_000 + " ms)");
        }
        return true;
    }

    /**
     * JDK 24+ warns when a module without native access loads a library or has a native method bound by name, and
     * {@code --enable-native-access}, which grants it, also costs every start the JVM's archived module graph. So where
     * nothing granted it, the agent opens java.lang to itself and has its JNI library loaded through java.base (see
     * {@code ModuleAccess.beforeLibraryLoad}): no flag, nothing printed. Not under {@code --illegal-native-access=deny}:
     * the JDK's rule stands there (the agent then needs the flag, as any library does, or the library given to the JVM
     * with {@code -agentpath}, which {@code bin/mptcp4j run} does anyway).
     */
    static final class JavaLangForLibrary implements java.util.function.BooleanSupplier {
        private final Instrumentation inst;

        JavaLangForLibrary(Instrumentation inst) {
            this.inst = inst;
        }

        @Override
        public boolean getAsBoolean() {
            Module self = Installer.class.getModule();
            try {
                MethodHandle granted = MethodHandles.publicLookup().findVirtual(Module.class, "isNativeAccessEnabled",
                        MethodType.methodType(boolean.class));
                if ((boolean) granted.invokeExact(self)) {
                    return false; // --enable-native-access=ALL-UNNAMED: System.load is allowed and quiet
                }
                // the first change to a module's access costs the JVM's lambda set-up: only here, where it saves a warning
                inst.redefineModule(Object.class.getModule(), Set.of(), Map.of("jdk.internal.misc", Set.of(self)),
                        Map.of("java.lang", Set.of(self)), Set.of(), Map.of());
                // the option's property is removed at start-up; the JDK keeps the command line's as saved properties
                MethodHandle saved = MethodHandles.lookup().findStatic(Class.forName("jdk.internal.misc.VM"), "getSavedProperty",
                        MethodType.methodType(String.class, String.class));
                if ("deny".equals((String) saved.invokeExact("jdk.module.illegal.native.access"))) {
                    AgentLog.debug("--illegal-native-access=deny: the JNI library is loaded with System.load");
                    return false;
                }
                return true;
            } catch (Throwable e) {
                AgentLog.debug("the JNI library is loaded with System.load: " + e);
                return false;
            }
        }
    }

    /** The packages of java.base the engine reads reflectively. */
    private static final String[] OPENED = {"sun.nio.ch", "java.net", "java.io", "java.nio.channels.spi"};

    /**
     * java.base must read the hook's module before any woven code runs; the packages the engine reads
     * reflectively are opened to the agent when it first needs them (many programs' sockets never do).
     * Both through the JNI library where it is loaded (the JDK's module updates without redefineModule's
     * checks), else with one redefineModule now.
     */
    private static void openJdkInternals(Instrumentation inst, Module hookModule) {
        Module base = Object.class.getModule();
        try {
            if (ModuleAccess.addReads(base, hookModule)) {
                ModuleAccess.openWhenNeeded(new Opener(inst));
                return;
            }
        } catch (LinkageError e) {
            AgentLog.debug("module access through JNI failed (" + e + "); using Instrumentation.redefineModule");
        }
        redefine(inst, Set.of(hookModule));
    }

    private static void redefine(Instrumentation inst, Set<Module> reads) {
        Map<String, Set<Module>> opens = new HashMap<>();
        for (String pkg : OPENED) {
            opens.put(pkg, Set.of(Installer.class.getModule()));
        }
        inst.redefineModule(Object.class.getModule(), reads, Map.of(), opens, Set.of(), Map.of());
        AgentLog.debug("java.base opened to the agent with Instrumentation.redefineModule");
    }

    /** Opens {@link #OPENED} to the agent through the JNI library, when the engine first reflects into the JDK. */
    private static final class Opener implements Runnable {
        private final Instrumentation inst;

        Opener(Instrumentation inst) {
            this.inst = inst;
        }

        @Override
        public void run() {
            Module self = Installer.class.getModule();
            try {
                for (String pkg : OPENED) {
                    ModuleAccess.addOpens(Object.class.getModule(), pkg, self);
                }
                AgentLog.debug("java.base opened to the agent through JNI");
            } catch (LinkageError e) {
                AgentLog.debug("opening java.base through JNI failed (" + e + "); using Instrumentation.redefineModule");
                redefine(inst, Set.of());
            }
        }
    }
}
