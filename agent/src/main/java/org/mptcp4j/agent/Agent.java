package org.mptcp4j.agent;

import java.lang.instrument.Instrumentation;
import java.nio.file.Path;

/**
 * Entry points of {@code mptcp4j-agent.jar}: {@code -javaagent:mptcp4j-agent.jar[=policy]} and dynamic
 * attach. It only builds the agent's own class loader ({@link AgentClassLoader}) and hands over to the
 * installer inside it. Whatever goes wrong, the application keeps running as if there were no agent:
 * one line on stderr, plain TCP.
 */
public final class Agent {
    private Agent() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    private static void start(String args, Instrumentation inst, boolean attached) {
        try {
            ClassLoader loader = Agent.class.getClassLoader();
            java.net.URL installer = loader.getResource(AgentClassLoader.PREFIX + "org/mptcp4j/agent/Installer.class");
            if (installer != null && installer.getProtocol().equals("jar")) {
                // the released jar: the agent lives under its prefix, in its own loader
                String file = installer.getPath(); // file:/.../mptcp4j-agent.jar!/mptcp4j-agent/...
                loader = new AgentClassLoader(Path.of(new java.net.URI(file.substring(0, file.indexOf("!/")))));
            }
            Class.forName("org.mptcp4j.agent.Installer", true, loader)
                    .getMethod("install", String.class, Instrumentation.class, boolean.class)
                    .invoke(null, args, inst, attached);
        } catch (java.lang.reflect.InvocationTargetException e) {
            System.err.println("mptcp4j agent: disabled, the application runs on plain TCP: " + e.getCause());
        } catch (Throwable t) {
            System.err.println("mptcp4j agent: disabled, the application runs on plain TCP: " + t);
        }
    }
}
