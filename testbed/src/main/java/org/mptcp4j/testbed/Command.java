package org.mptcp4j.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs an external command with a time limit; failure is an exception that quotes the command and its output. */
public final class Command {
    private Command() {}

    /** Runs {@code argv}, returns its standard output; throws if it fails or runs over 30 s. */
    public static String run(String... argv) throws IOException {
        return run(30, argv);
    }

    /** Runs {@code argv} within {@code seconds}; returns stdout (stderr merged). */
    public static String run(int seconds, String... argv) throws IOException {
        Result r = tryRun(seconds, argv);
        if (r.exit() != 0) {
            throw new IOException("command `" + String.join(" ", argv) + "` failed (exit " + r.exit() + "): " + r.output().strip());
        }
        return r.output();
    }

    /** Outcome of a command. */
    public record Result(int exit, String output) {}

    /** Runs {@code argv} and returns exit status and output, without throwing on a non-zero exit. */
    public static Result tryRun(int seconds, String... argv) throws IOException {
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run `" + argv[0] + "`: " + e.getMessage() + " (is it installed?)", e);
        }
        p.getOutputStream().close();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread pump = new Thread(() -> copy(p.getInputStream(), out), "command-output");
        pump.setDaemon(true);
        pump.start();
        try {
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("command `" + String.join(" ", argv) + "` did not finish within " + seconds + " s");
            }
            pump.join(5000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + Arrays.toString(argv), e);
        }
        synchronized (out) {
            return new Result(p.exitValue(), out.toString());
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (out) {
                    out.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code program} is an executable file in a directory of PATH (what {@code command -v} finds). */
    public static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    /** {@code base} followed by {@code more}. */
    public static String[] concat(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(Arrays.asList(more));
        return all.toArray(new String[0]);
    }
}
