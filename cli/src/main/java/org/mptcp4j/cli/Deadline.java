package org.mptcp4j.cli;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A bound on how long a peer may keep a blocking exchange waiting: when it passes (or a check says the
 * peer went quiet), the channels are closed, which ends the blocked read or accept at once; {@link #check}
 * then turns the failure into the reason. One daemon thread serves every deadline of the process.
 */
final class Deadline implements AutoCloseable {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mptcp4j-deadlines");
        t.setDaemon(true);
        return t;
    });

    private final List<? extends Closeable> channels;
    private final ScheduledFuture<?> task;
    private volatile String expired;

    private Deadline(List<? extends Closeable> channels, long millis, String reason, BooleanSupplier quiet, String quietReason) {
        this.channels = channels;
        if (quiet == null) {
            task = TIMER.schedule(() -> expire(reason), millis, TimeUnit.MILLISECONDS);
        } else {
            long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            task = TIMER.scheduleAtFixedRate(() -> {
                if (reason != null && System.nanoTime() - end > 0) {
                    expire(reason);
                } else if (quiet.getAsBoolean()) {
                    expire(quietReason);
                }
            }, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Closes {@code channels} after {@code millis}, saying {@code reason}. */
    static Deadline after(long millis, String reason, List<? extends Closeable> channels) {
        return new Deadline(channels, millis, reason, null, null);
    }

    /** Also closes them as soon as {@code quiet} (asked once a second) says the peer stopped, saying {@code quietReason}. */
    static Deadline afterOrQuiet(long millis, String reason, BooleanSupplier quiet, String quietReason, List<? extends Closeable> channels) {
        return new Deadline(channels, millis, reason, quiet, quietReason);
    }

    /** No deadline: closes them only once {@code quiet} (asked once a second) says the peer stopped, saying {@code quietReason}. */
    static Deadline whenQuiet(BooleanSupplier quiet, String quietReason, List<? extends Closeable> channels) {
        return new Deadline(channels, 0, null, quiet, quietReason);
    }

    private void expire(String reason) {
        expired = reason;
        task.cancel(false);
        for (Closeable c : channels) {
            Relay.closeQuietly(c);
        }
    }

    /** {@code failure} as it came, or, if this deadline closed the channels, an IOException with the reason. */
    IOException check(IOException failure) {
        String why = expired;
        return why == null ? failure : new IOException(why, failure);
    }

    @Override
    public void close() {
        task.cancel(false);
    }

    /** True once {@code count} stood still for {@code millis}: a peer that went quiet (asked once a second). */
    static BooleanSupplier stillFor(java.util.function.LongSupplier count, long millis) {
        return new BooleanSupplier() {
            private long last = -1;
            private long since = System.nanoTime();

            @Override
            public boolean getAsBoolean() {
                long now = System.nanoTime();
                long c = count.getAsLong();
                if (c != last) {
                    last = c;
                    since = now;
                }
                return now - since > TimeUnit.MILLISECONDS.toNanos(millis);
            }
        };
    }
}
