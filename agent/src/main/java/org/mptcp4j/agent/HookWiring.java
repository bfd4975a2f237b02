package org.mptcp4j.agent;

import org.mptcp4j.agent.boot.MptcpHook;
import org.mptcp4j.internal.engine.Engine;
import org.mptcp4j.internal.options.RefusedOptions;

/**
 * Connects the boot hook to the agent. Kept apart from {@link Installer} on purpose: the first
 * class that mentions {@link MptcpHook} must be loaded only after the hook is on the bootstrap
 * class path, or the application class loader would load its own copy from the agent jar and the
 * JVM would refuse the two (a loader constraint violation).
 */
final class HookWiring {
    private HookWiring() {}

    static void wire(Engine engine, NettySockets.Features features, String policy) {
        MptcpHook.callback = new AgentCallback(engine, features, policy);
        RefusedOptions.onFirstRecord(new OptionsRecorded());
    }

    /** Lets the hook look recorded option values up from now on (a class, not a lambda: see Policy). */
    private static final class OptionsRecorded implements Runnable {
        @Override
        public void run() {
            MptcpHook.optionsRecorded = true;
        }
    }

    static void unwire() {
        MptcpHook.callback = null;
        MptcpHook.optionsRecorded = false;
        MptcpHook.libraries = null;
    }

    static void watchLibraries(java.util.function.Consumer<String> watch) {
        MptcpHook.libraries = watch;
    }
}
