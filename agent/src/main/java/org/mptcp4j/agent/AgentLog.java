package org.mptcp4j.agent;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

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
            case "error": return ERROR;
            case "warning": return WARNING;
            case "info": return INFO;
            default: return DEBUG;
        }
    }

    static final int ERROR = 40;
    static final int WARNING = 30;
    static final int INFO = 20;
    static final int DEBUG = 10;

    static void error(String message) {
        print(ERROR, message);
    }

    static void warn(String message) {
        print(WARNING, message);
    }

    static void info(String message) {
        print(INFO, message);
    }

    static void debug(String message) {
        print(DEBUG, message);
    }

    /**
     * The library's messages of one level, as the agent's lines. A class, not a method reference: a
     * lambda's bootstrap would run while the agent activates, at the first socket.
     */
    static final class Sink implements Consumer<String> {
        private final int level;

        Sink(int level) {
            this.level = level;
        }

        @Override
        public void accept(String message) {
            print(level, message);
        }
    }

    private static void print(int level, String message) {
        if (level >= threshold && SEEN.add(message)) {
            System.err.println("mptcp4j agent: " + message.replace('\n', ' '));
        }
    }
}
