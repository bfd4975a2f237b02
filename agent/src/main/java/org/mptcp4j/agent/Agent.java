package org.mptcp4j.agent;

import java.lang.instrument.Instrumentation;
import java.nio.file.Path;

/**
 * Entry points of {@code mptcp4j-agent.jar}: {@code -javaagent:mptcp4j-agent.jar[=policy]} and dynamic
 * attach. It only builds the agent's own class loader ({@link AgentClassLoader}) and hands over to the
 * installer inside it. Whatever goes wrong, the application keeps running as if there were no agent:
 * one line on stderr, plain TCP.
 *
 * <p>The build flags {@code premain} and {@code agentmain} ACC_VARARGS (src/build/NativeReflectedEntryPoints.java), so
 * that the JDK's reflective call of them spins no method handles on JDK 18+; javac refuses to compile a call to them,
 * which nothing but the JDK makes.
 */
public final class Agent {
    private Agent() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    /**
     * What {@link Installer}'s initialiser takes: the arguments, the instrumentation, whether attached.
     * A class initialiser rather than a reflective call because on JDK 18+ the first {@code Method.invoke}
     * spins method handles (milliseconds at every start).
     */
    private static Object[] handOff;

    /** For {@code Installer$Start} only (another loader, so public): what {@link #start} hands off, null outside it. */
    public static Object[] handOff() {
        return handOff;
    }

    private static synchronized void start(String args, Instrumentation inst, boolean attached) {
        try {
            ClassLoader loader = Agent.class.getClassLoader();
            java.net.URL location = Agent.class.getProtectionDomain().getCodeSource().getLocation();
            Path jar = location.getProtocol().equals("file") ? Path.of(location.toURI()) : null;
            if (jar != null && java.nio.file.Files.isRegularFile(jar)) {
                AgentClassLoader own = new AgentClassLoader(jar);
                if (own.holds("org.mptcp4j.agent.Installer")) {
                    loader = own; // the released jar: the agent lives under its prefix, in its own loader
                } else {
                    own.closeJar(); // another layout: the agent's classes are on the class path, not under the prefix
                }
            }
            handOff = new Object[] {args, inst, attached};
            // a new loader per start, so a new Installer$Start each time (from class directories: once per JVM)
            Class.forName("org.mptcp4j.agent.Installer$Start", true, loader);
        } catch (ExceptionInInitializerError e) {
            System.err.println("mptcp4j agent: disabled, the application runs on plain TCP: " + e.getCause());
        } catch (Throwable t) {
            System.err.println("mptcp4j agent: disabled, the application runs on plain TCP: " + t);
        } finally {
            handOff = null;
        }
    }
}
