package org.mptcp4j.agent;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The agent's output: single lines on stderr prefixed {@code mptcp4j agent:}, filtered by the
 * {@code log=} argument, each distinct message at most once (an agent must not flood an app's logs).
 */
final class AgentLog {
    private AgentLog() {}

    private static volatile int threshold = level("warning");
    private static final Set<String> SEEN = ConcurrentHashMap.newKeySet();

    static void setLevel(String name) {
        threshold = level(name);
    }

    static int level(String name) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "off": return 100;
            case "error": return 40;
            case "warning": return 30;
            case "info": return 20;
            default: return 10; // debug
        }
    }

    static void error(String message) {
        print(40, message);
    }

    static void warn(String message) {
        print(30, message);
    }

    static void info(String message) {
        print(20, message);
    }

    static void debug(String message) {
        print(10, message);
    }

    private static void print(int level, String message) {
        if (level >= threshold && SEEN.add(message)) {
            System.err.println("mptcp4j agent: " + message.replace('\n', ' '));
        }
    }
}
