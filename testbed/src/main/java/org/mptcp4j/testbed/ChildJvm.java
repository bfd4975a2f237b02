package org.mptcp4j.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java program started in a child JVM (same java binary and class path as this one), optionally
 * inside a network namespace and behind a wrapper such as {@code mptcpize run}; or, for reference
 * runs, any other program. Output is captured; {@link #await} bounds the wait.
 */
public final class ChildJvm implements AutoCloseable {
    private final Process process;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final String description;
    private final Thread pump;

    private ChildJvm(Process process, String description) {
        this.process = process;
        this.description = description;
        this.pump = new Thread(() -> pump(process.getInputStream()), "child-jvm-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** The java launcher of the running JVM. */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Starts {@code mainClass args} in {@code ns} (null = this namespace) with extra JVM options. */
    public static ChildJvm start(Netns ns, List<String> jvmOptions, Class<?> mainClass, String... args) throws IOException {
        return start(ns, List.of(), jvmOptions, mainClass, args);
    }

    /** Starts {@code mainClass args} in {@code ns} behind {@code wrapper} (e.g. {@code mptcpize run}). */
    public static ChildJvm start(Netns ns, List<String> wrapper, List<String> jvmOptions, Class<?> mainClass, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(Arrays.asList(args));
        return launch(ns, command, String.join(" ", wrapper) + (wrapper.isEmpty() ? "" : " ") + mainClass.getSimpleName());
    }

    /** Starts a program that is not Java (a reference peer) in {@code ns}, output captured the same way. */
    public static ChildJvm startProgram(Netns ns, List<String> command) throws IOException {
        return launch(ns, command, command.get(0));
    }

    private static ChildJvm launch(Netns ns, List<String> command, String what) throws IOException {
        List<String> argv = new ArrayList<>();
        if (ns != null) {
            argv.addAll(ns.execPrefix());
        }
        argv.addAll(command);
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        return new ChildJvm(p, what + (ns == null ? "" : " in " + ns.name()));
    }

    private void pump(InputStream in) {
        byte[] buf = new byte[4096];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (output) {
                    output.write(buf, 0, n);
                }
            }
        } catch (IOException ignored) {
            // process gone
        }
    }

    /** Everything the child printed so far (stdout and stderr). */
    public String output() {
        synchronized (output) {
            return output.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until a line containing {@code marker} is printed, or the time runs out, or the child exits. */
    public String awaitLine(String marker, long seconds) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            boolean exited = !process.isAlive();
            if (exited) {
                drain(); // everything the child printed before exiting is in the buffer after this
            }
            String out = output();
            // only complete lines count: the pump may have read half of the line being printed
            int complete = exited ? out.length() : out.lastIndexOf('\n') + 1;
            for (String line : out.substring(0, complete).split("\n")) {
                if (line.contains(marker)) {
                    return line;
                }
            }
            if (exited) {
                throw new IOException(description + " exited (" + process.exitValue() + ") before printing '" + marker + "':\n" + out);
            }
            try {
                Thread.sleep(10); // polling the child's output
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        throw new IOException(description + " did not print '" + marker + "' within " + seconds + " s:\n" + output());
    }

    private void drain() throws IOException {
        try {
            pump.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Waits for exit within {@code seconds}; returns the exit code (kills it and throws on timeout). */
    public int await(long seconds) throws IOException {
        try {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(description + " did not exit within " + seconds + " s:\n" + output());
            }
            pump.join(TimeUnit.SECONDS.toMillis(5)); // output is complete once the pipe hits EOF
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return process.exitValue();
    }

    /** The child's standard input. */
    public java.io.OutputStream stdin() {
        return process.getOutputStream();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits up to {@code millis} for the child to exit; true if it has. */
    public boolean waitFor(long millis) throws IOException {
        try {
            return process.waitFor(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
