package org.mptcp4j.internal.log;

import java.lang.System.Logger.Level;
import java.util.function.Consumer;

/**
 * mptcp4j's one log outlet: {@code System.Logger} "org.mptcp4j", or single lines to the agent's sink
 * once the agent has set one. The logger is looked up on each use rather than kept in a static field:
 * mptcp4j classes may be initialised while the JDK is still creating the system class loader, when
 * asking for a logger is not allowed yet.
 */
public final class Log {
    private Log() {}

    private static volatile Consumer<String> sink;
    private static volatile Consumer<String> infoSink;

    /** Sends warnings and errors to {@code lines}, notices to {@code infos}, single lines each (the agent's stderr) instead of System.Logger. */
    public static void sendTo(Consumer<String> lines, Consumer<String> infos) {
        sink = lines;
        infoSink = infos;
    }

    /** Logs one INFO line: something an operator turned on is now there. */
    public static void info(String message) {
        Consumer<String> s = infoSink;
        if (s != null) {
            s.accept(message);
        } else {
            System.getLogger("org.mptcp4j").log(Level.INFO, "mptcp4j: " + message);
        }
    }

    /** Logs one WARNING line. */
    public static void warning(String message) {
        log(Level.WARNING, message);
    }

    /** Logs one ERROR line. */
    public static void error(String message) {
        log(Level.ERROR, message);
    }

    private static void log(Level level, String message) {
        Consumer<String> s = sink;
        if (s != null) {
            s.accept(message);
        } else {
            System.getLogger("org.mptcp4j").log(level, "mptcp4j: " + message); // no MessageFormat: messages hold quotes and braces
        }
    }

    /** A consumer that logs each message as a WARNING line ending in {@code ending}: for {@code Setting.booleanValue}. */
    public static Consumer<String> warningEndingWith(String ending) {
        return new Warning(ending); // a class, not a lambda: this runs while the system class loader is being set up
    }

    private static final class Warning implements Consumer<String> {
        private final String ending;

        Warning(String ending) {
            this.ending = ending;
        }

        @Override
        public void accept(String message) {
            warning(message + ending);
        }
    }
}
