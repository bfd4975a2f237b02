package org.mptcp4j.internal.engine;

import java.lang.System.Logger.Level;

/**
 * The library's logger ({@code System.Logger} "org.mptcp4j"), looked up on each use rather than
 * in a static field: mptcp4j classes may be initialised while the JDK is still creating the
 * system class loader, when asking for a logger is not allowed yet.
 */
public final class Log {
    private Log() {}

    /** When set (by the agent), messages go there as single lines instead of to System.Logger. */
    public static volatile java.util.function.Consumer<String> sink;

    public static void log(Level level, String format, Object... args) {
        java.util.function.Consumer<String> s = sink;
        if (s != null) {
            s.accept(java.text.MessageFormat.format(format, args).replaceFirst("^mptcp4j: ", ""));
            return;
        }
        System.getLogger("org.mptcp4j").log(level, format, args);
    }

    /** A WARNING line with a fixed ending, as a class rather than a lambda (see Policy: no lambdas at start-up). */
    /** A WARNING line ending in {@code ending}: for {@code Setting.booleanValue} and the like. */
    public static java.util.function.Consumer<String> warning(String ending) {
        return new Warning(ending);
    }

    private static final class Warning implements java.util.function.Consumer<String> {
        private final String ending;

        Warning(String ending) {
            this.ending = ending;
        }

        @Override
        public void accept(String message) {
            log(Level.WARNING, "mptcp4j: {0}{1}", message, ending);
        }
    }
}
