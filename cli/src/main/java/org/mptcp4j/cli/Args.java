package org.mptcp4j.cli;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/** A small, strict command-line reader: every bad value is a {@link UsageException} naming it. */
final class Args {
    private final Deque<String> rest;

    Args(String[] argv) {
        this.rest = new ArrayDeque<>(Arrays.asList(argv));
    }

    boolean hasNext() {
        return !rest.isEmpty();
    }

    String next() {
        return rest.poll();
    }

    String peek() {
        return rest.peek();
    }

    String value(String option) throws UsageException {
        String v = rest.poll();
        if (v == null) {
            throw new UsageException("option " + option + " needs a value");
        }
        return v;
    }

    int intValue(String option, int min, int max) throws UsageException {
        String v = value(option);
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new UsageException("bad value for " + option + ": " + v + " (expected " + min + "-" + max + ")");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("bad value for " + option + ": " + v + " (expected an integer " + min + "-" + max + ")");
        }
    }

    double doubleValue(String option, double min, double max) throws UsageException {
        String v = value(option);
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min && d <= max)) {
                throw new UsageException("bad value for " + option + ": " + v + " (expected " + min + "-" + max + ")");
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("bad value for " + option + ": " + v + " (expected a number " + min + "-" + max + ")");
        }
    }

    static int port(String v) throws UsageException {
        try {
            int p = Integer.parseInt(v);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message
        }
        throw new UsageException("bad port: " + v + " (expected 0-65535)");
    }
}
