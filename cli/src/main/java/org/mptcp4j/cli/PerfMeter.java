package org.mptcp4j.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.mptcp4j.Mptcp;
import org.mptcp4j.MptcpInfo;
import org.mptcp4j.SubflowInfo;

/**
 * Measures a running test: one interval per {@code -i} seconds (the first {@code -O} seconds marked
 * omitted, as iperf3 does), each printed as iperf3 prints it and kept for {@code -J}; at the end, each
 * stream's totals over the measured part. The sender's columns (retransmits, congestion window, RTT)
 * come from MPTCP_FULL_INFO, summed over the subflows; a plain TCP stream has none of them.
 */
final class PerfMeter {
    /** What one stream did in one interval. */
    record StreamInterval(int socket, double start, double end, long bytes, long retransmits, long cwndBytes, long rttMicros,
                          long rttVarMicros, int subflows, boolean omitted) {
        double seconds() {
            return end - start;
        }
    }

    /** All streams over one interval. */
    record Interval(List<StreamInterval> streams) {
        long bytes() {
            return streams.stream().mapToLong(StreamInterval::bytes).sum();
        }

        long retransmits() {
            return streams.stream().mapToLong(StreamInterval::retransmits).sum();
        }

        StreamInterval first() {
            return streams.get(0);
        }
    }

    /** What one stream did over the measured part of the test. */
    record StreamTotal(int socket, double seconds, long bytes, long retransmits, long maxCwndBytes, long minRttMicros,
                       long maxRttMicros, long meanRttMicros) {}

    /** What the kernel says about one stream at one instant (zeros for a plain TCP stream). */
    private record Kernel(long retransmits, long cwndBytes, long rttMicros, long rttVarMicros, int subflows) {
        static final Kernel NONE = new Kernel(0, 0, 0, 0, 0);

        static Kernel of(SocketChannel channel) {
            Optional<MptcpInfo> info;
            try {
                info = Mptcp.info(channel);
            } catch (IOException e) {
                return NONE; // closed under us at the end of the test
            }
            if (info.isEmpty() || info.get().subflows().isEmpty()) {
                return NONE;
            }
            List<SubflowInfo> sf = info.get().subflows();
            List<SubflowInfo> up = sf.stream().filter(SubflowInfo::established).toList();
            return new Kernel(sf.stream().mapToLong(SubflowInfo::totalRetransmits).sum(),
                    up.stream().mapToLong(s -> (long) s.congestionWindow() * s.mss()).sum(),
                    (long) up.stream().mapToLong(SubflowInfo::rttMicros).average().orElse(0), // the connection's RTT: its paths' mean
                    (long) up.stream().mapToLong(SubflowInfo::rttVarMicros).average().orElse(0),
                    sf.size());
        }
    }

    private static final String SEPARATOR = "- - - - - - - - - - - - - - - - - - - - - - - - -";

    private final PerfStreams streams;
    private final boolean sender;
    private final long periodMillis;
    private final PrintStream text;
    private final List<Interval> omittedIntervals = new ArrayList<>();
    private final List<Interval> intervals = new ArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "perf-meter");
        t.setDaemon(true);
        return t;
    });
    private ScheduledFuture<?> ticks;
    private int printed;

    private boolean omitting;
    private long zeroNanos;
    private long lastNanos;
    private long stopNanos;
    private long[] zeroBytes;
    private long[] stopBytes;
    private long[] lastBytes;
    private long[] zeroRetransmits;
    private long[] lastRetransmits;
    private Kernel[] lastKernel;

    PerfMeter(PerfStreams streams, boolean sender, double intervalSeconds, PrintStream text) {
        this.streams = streams;
        this.sender = sender;
        this.periodMillis = Math.round(intervalSeconds * 1000);
        this.text = text;
    }

    /** Socket label of stream {@code index} in iperf3's output (iperf3 prints its fds: 5, 7, 9, ...). */
    static int socket(int index) {
        return 5 + 2 * index;
    }

    /** Starts measuring the streams just started: omitted intervals first when {@code omitSeconds > 0}. */
    synchronized void start(int omitSeconds) {
        text.println(sender ? "[ ID] Interval           Transfer     Bitrate         Retr  Cwnd"
                : "[ ID] Interval           Transfer     Bitrate");
        text.flush();
        begin(omitSeconds > 0);
        ticks = ticker.scheduleAtFixedRate(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
        if (omitSeconds > 0) {
            ticker.schedule(this::endOmitted, omitSeconds, TimeUnit.SECONDS);
        }
    }

    private synchronized void endOmitted() {
        ticks.cancel(false);
        recordUnlessTiny(System.nanoTime());
        begin(false); // iperf3 restarts the clock and the counts after the omitted seconds
        ticks = ticker.scheduleAtFixedRate(this::tick, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void begin(boolean omitted) {
        omitting = omitted;
        zeroNanos = lastNanos = System.nanoTime();
        zeroBytes = streams.counts();
        lastBytes = zeroBytes.clone();
        lastKernel = new Kernel[streams.size()];
        zeroRetransmits = new long[streams.size()];
        for (int i = 0; i < streams.size(); i++) {
            lastKernel[i] = Kernel.of(streams.channel(i));
            zeroRetransmits[i] = lastKernel[i].retransmits();
        }
        lastRetransmits = zeroRetransmits.clone();
    }

    /** Ends the test: the last (partial) interval is kept unless it is too short to mean anything. */
    synchronized void stop() {
        ticker.shutdownNow();
        stopNanos = System.nanoTime();
        recordUnlessTiny(stopNanos);
        stopBytes = lastBytes;
    }

    private void recordUnlessTiny(long now) {
        boolean longEnough = now - lastNanos >= periodMillis * 100_000L; // iperf3 drops a last interval under a tenth of -i
        Interval last = sample(now);
        if (longEnough) {
            record(last);
        }
    }

    private synchronized void tick() {
        record(sample(System.nanoTime()));
    }

    private Interval sample(long now) {
        long[] bytes = streams.counts();
        List<StreamInterval> list = new ArrayList<>();
        for (int i = 0; i < bytes.length; i++) {
            Kernel k = Kernel.of(streams.channel(i));
            lastKernel[i] = k;
            list.add(new StreamInterval(socket(i), (lastNanos - zeroNanos) / 1e9, (now - zeroNanos) / 1e9, bytes[i] - lastBytes[i],
                    Math.max(0, k.retransmits() - lastRetransmits[i]), k.cwndBytes(), k.rttMicros(), k.rttVarMicros(), k.subflows(), omitting));
            lastRetransmits[i] = Math.max(lastRetransmits[i], k.retransmits());
        }
        lastBytes = bytes;
        lastNanos = now;
        return new Interval(list);
    }

    private void record(Interval interval) {
        (omitting ? omittedIntervals : intervals).add(interval);
        print(interval);
    }

    private void print(Interval interval) {
        if (interval.streams().size() > 1 && printed++ > 0) {
            text.println(SEPARATOR);
        }
        for (StreamInterval s : interval.streams()) {
            line(String.format(Locale.ROOT, "[%3d]", s.socket()), s.start(), s.end(), s.bytes(), s.retransmits(), s.cwndBytes(),
                    s.subflows() > 0 ? "  (" + s.subflows() + " subflows)" : "", s.omitted());
        }
        if (interval.streams().size() > 1) {
            StreamInterval f = interval.first();
            line("[SUM]", f.start(), f.end(), interval.bytes(), interval.retransmits(), -1, "", f.omitted());
        }
        text.flush();
    }

    private void line(String id, double from, double to, long bytes, long retransmits, long cwnd, String note, boolean omitted) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%s %6.2f-%-6.2f sec  %12s  %16s", id, from, to,
                Format.bytes(bytes), Format.bitrate(to > from ? bytes * 8 / (to - from) : 0)));
        if (sender) {
            b.append(String.format(Locale.ROOT, "  %4d", retransmits));
            if (cwnd >= 0) {
                b.append("   ").append(Format.bytes(cwnd));
            }
        }
        b.append(note);
        if (omitted) {
            b.append("  (omitted)");
        }
        text.println(b);
    }

    /** Intervals after the omitted ones, in order. */
    synchronized List<Interval> intervals() {
        return List.copyOf(intervals);
    }

    /** Every interval, the omitted ones first (what iperf3's {@code -J} lists). */
    synchronized List<Interval> allIntervals() {
        List<Interval> all = new ArrayList<>(omittedIntervals);
        all.addAll(intervals);
        return all;
    }

    /** Seconds measured (after the omitted ones) up to {@link #stop()}. */
    synchronized double seconds() {
        return omitting ? 0 : (stopNanos - zeroNanos) / 1e9;
    }

    /** Each stream's totals over the measured part (zero if the test ended while omitting). */
    synchronized List<StreamTotal> totals() {
        long[] bytes = stopBytes != null ? stopBytes : streams.counts();
        List<StreamTotal> out = new ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            int index = i;
            List<StreamInterval> mine = intervals.stream().map(iv -> iv.streams().get(index)).toList();
            long maxCwnd = mine.stream().mapToLong(StreamInterval::cwndBytes).max().orElse(lastKernel[i].cwndBytes());
            long minRtt = mine.stream().mapToLong(StreamInterval::rttMicros).filter(r -> r > 0).min().orElse(0);
            long maxRtt = mine.stream().mapToLong(StreamInterval::rttMicros).max().orElse(0);
            long meanRtt = (long) mine.stream().mapToLong(StreamInterval::rttMicros).filter(r -> r > 0).average().orElse(0);
            out.add(new StreamTotal(socket(i), seconds(), omitting ? 0 : bytes[i] - zeroBytes[i],
                    omitting ? 0 : Math.max(0, lastRetransmits[i] - zeroRetransmits[i]), maxCwnd, minRtt, maxRtt, meanRtt));
        }
        return out;
    }

    /** The sender's retransmits over the measured part, all streams. */
    long retransmits() {
        return totals().stream().mapToLong(StreamTotal::retransmits).sum();
    }
}
