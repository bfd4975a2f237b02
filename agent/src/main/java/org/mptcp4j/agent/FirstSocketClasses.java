package org.mptcp4j.agent;

/**
 * The agent's classes that setting it up and a first connection need, in the order the thread doing it needs them,
 * loaded on a second thread from when the program loads its first socket address or socket class ({@link LazyAgent}),
 * or the set-up starts ({@link Installer}), so that reading and defining them overlaps the program's own start and
 * the rest of the set-up (a test keeps the list complete against the class-load
 * log of a first connection; a first start, which weaves the JDK's classes rather than reading them from the cache,
 * loads the weaver too). Loaded only, not initialised: every initialiser runs where the set-up wants it. No class
 * that extends or implements one of the boot hook's may be listed: loading it before the set-up defines the hook in the
 * boot loader would have the agent's loader define a copy of its own (AgentCallback waits for the set-up).
 */
final class FirstSocketClasses implements Runnable {
    static final String[] NAMES = {
        "org.mptcp4j.agent.Installer$Start",
        "org.mptcp4j.agent.Installer",
        "org.mptcp4j.agent.Installer$State",
        "org.mptcp4j.agent.NettySockets$Features",
        "org.mptcp4j.agent.SocketTransformer",
        "org.mptcp4j.agent.WovenCache",
        "org.mptcp4j.agent.Installer$WeaveAhead",
        "org.mptcp4j.agent.HookPoint$Target",
        "org.mptcp4j.internal.policy.Policy",
        "org.mptcp4j.internal.policy.Setting",
        "org.mptcp4j.internal.policy.Setting$Given",
        "org.mptcp4j.internal.policy.Policy$Mode",
        "org.mptcp4j.internal.policy.Policy$1",
        "org.mptcp4j.agent.AgentLog",
        "org.mptcp4j.agent.Installer$JavaLangForLibrary",
        "org.mptcp4j.internal.sys.ModuleAccess",
        "org.mptcp4j.agent.BootJar",
        "org.mptcp4j.internal.sys.BootClasses",
        "org.mptcp4j.internal.sys.Jni",
        "org.mptcp4j.agent.Installer$Opener",
        "org.mptcp4j.internal.engine.Engine",
        "org.mptcp4j.internal.jdk.InternalsUnavailableException",
        "org.mptcp4j.internal.sys.ErrnoException",
        "org.mptcp4j.MptcpUnavailableException",
        "org.mptcp4j.internal.engine.Sockets",
        "org.mptcp4j.internal.engine.MptcpSocketFactory",
        "org.mptcp4j.internal.engine.MptcpServerSocketFactory",
        "org.mptcp4j.agent.AgentLog$Sink",
        "org.mptcp4j.internal.log.Log",
        "org.mptcp4j.agent.HookWiring",
        "org.mptcp4j.agent.FdStates",
        "org.mptcp4j.agent.HookWiring$OptionsRecorded",
        "org.mptcp4j.internal.options.RefusedOptions",
        "org.mptcp4j.agent.NettySockets",
        "org.mptcp4j.internal.engine.MetricsEndpoint",
        "org.mptcp4j.internal.sys.UserCache",
        "org.mptcp4j.internal.sys.UserCache$Default",
        "org.mptcp4j.agent.Weaver$Result",
        "org.mptcp4j.agent.HookPoint$Feature",
        "org.mptcp4j.MptcpMXBean",
        "org.mptcp4j.internal.engine.Jmx",
        "org.mptcp4j.internal.log.Log$Warning",
        "org.mptcp4j.internal.engine.Jmx$Registration",
        "org.mptcp4j.internal.engine.Probe",
        "org.mptcp4j.internal.engine.Probe$KernelHolder",
        "org.mptcp4j.internal.sys.NativeSockets",
        "org.mptcp4j.internal.sys.LibC",
        "org.mptcp4j.internal.engine.Probe$Result",
        "org.mptcp4j.Availability",
        "org.mptcp4j.internal.swap.FdSwap",
        "org.mptcp4j.internal.jdk.JdkInternals",
        "org.mptcp4j.internal.jdk.JdkInternals$1",
        "org.mptcp4j.internal.jdk.JdkInternals$2",
        "org.mptcp4j.internal.jdk.JdkInternals$3",
        "org.mptcp4j.internal.jdk.JdkInternals$FdValue",
        "org.mptcp4j.internal.sys.FileDescriptors",
        "org.mptcp4j.internal.engine.SocketCounters",
        "org.mptcp4j.FallbackReason",
        "org.mptcp4j.internal.engine.SocketEvents",
        "org.mptcp4j.internal.swap.FdSwap$Carry",
        "org.mptcp4j.internal.engine.Negotiation$Origin",
        "org.mptcp4j.internal.engine.Connections",
        "org.mptcp4j.internal.engine.Negotiation",
        "org.mptcp4j.internal.engine.Negotiation$Outcome",
        "org.mptcp4j.MptcpStatus",
        "org.mptcp4j.internal.jdk.JdkOptions",
        "org.mptcp4j.internal.jdk.JdkInternals$Shape",
        "org.mptcp4j.internal.jdk.SocketHandle",
        "org.mptcp4j.internal.jdk.SocketHandle$LockedAction",
        "org.mptcp4j.internal.jdk.AsynchronousChannels$Wrapper",
    };

    // the thread starts once per agent loader, when the class is first named: by LazyAgent when a socket sign
    // loads, else by the installer
    static {
        Thread t = new Thread(new FirstSocketClasses(), "mptcp4j-agent-classes");
        t.setDaemon(true);
        t.start();
    }

    /** Makes sure {@link #NAMES} are being loaded on the second thread (the initialiser started it). */
    static void loadAhead() {
        // the initialiser did it
    }

    @Override
    public void run() {
        ClassLoader loader = FirstSocketClasses.class.getClassLoader();
        for (String name : NAMES) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                // the set-up, which needs it, reports it
            }
        }
    }
}
