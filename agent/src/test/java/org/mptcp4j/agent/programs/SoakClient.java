package org.mptcp4j.agent.programs;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak's load, unmodified JDK code: {@code SoakClient HOST PORT SECONDS SHORT LONG BYTES}. SHORT
 * workers send {@code /small} requests, each on a new connection; LONG workers download
 * {@code /stream} of BYTES and compare every byte with the seeded sequence. Each failure is one line
 * {@code FAIL kind startMillis reason} (milliseconds since START), kind {@code connect} (no connection
 * made), {@code short} or {@code long} (a request that had its connection), {@code corrupt}; the end is
 * {@code RESULT ...}.
 */
public final class SoakClient {
    static final AtomicLong SHORT_OK = new AtomicLong();
    static final AtomicLong SHORT_FAILED = new AtomicLong();
    static final AtomicLong CONNECT_FAILED = new AtomicLong();
    static final AtomicLong LONG_OK = new AtomicLong();
    static final AtomicLong LONG_FAILED = new AtomicLong();
    static final AtomicLong LONG_CORRUPT = new AtomicLong();
    static final AtomicLong BYTES = new AtomicLong();
    static final AtomicLong SEEDS = new AtomicLong();
    static long start;

    public static void main(String[] args) throws Exception {
        String base = "http://" + args[0] + ":" + args[1];
        long end = System.nanoTime() + Long.parseLong(args[2]) * 1_000_000_000L;
        int shortWorkers = Integer.parseInt(args[3]);
        int longWorkers = Integer.parseInt(args[4]);
        long bytes = Long.parseLong(args[5]);
        System.setProperty("http.keepAlive", "false"); // a new connection per request: connection set-up under faults
        start = System.nanoTime();
        System.out.println("START");
        Thread[] workers = new Thread[shortWorkers + longWorkers];
        for (int i = 0; i < workers.length; i++) {
            boolean small = i < shortWorkers;
            workers[i] = new Thread(() -> {
                while (System.nanoTime() < end) {
                    if (small) {
                        small(base);
                    } else {
                        stream(base, bytes);
                    }
                }
            });
            workers[i].start();
        }
        for (Thread t : workers) {
            t.join();
        }
        System.out.println("RESULT connect_failed=" + CONNECT_FAILED + " short_ok=" + SHORT_OK + " short_failed=" + SHORT_FAILED
                + " long_ok=" + LONG_OK + " long_failed="
                + LONG_FAILED + " long_corrupt=" + LONG_CORRUPT + " bytes=" + BYTES);
    }

    private static long now() {
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** Makes the connection; a failure here is a new connection that could not be made, counted apart. */
    private static boolean connect(HttpURLConnection c, long t) {
        try {
            c.connect();
            return true;
        } catch (Exception e) {
            CONNECT_FAILED.incrementAndGet();
            System.out.println("FAIL connect " + t + " " + e);
            try {
                Thread.sleep(20); // think time, as after a request
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            return false;
        }
    }

    private static void small(String base) {
        long t = now();
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(base + "/small").openConnection();
            c.setConnectTimeout(3000);
            c.setReadTimeout(10_000);
            if (!connect(c, t)) {
                return;
            }
            try (InputStream in = c.getInputStream()) {
                if (in.readAllBytes().length != 1024) {
                    throw new java.io.IOException("short body");
                }
            }
            SHORT_OK.incrementAndGet();
            Thread.sleep(20); // think time, the load's shape
        } catch (Exception e) {
            SHORT_FAILED.incrementAndGet();
            System.out.println("FAIL short " + t + " " + e);
        }
    }

    private static void stream(String base, long bytes) {
        long t = now();
        long seed = SEEDS.incrementAndGet();
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(base + "/stream?bytes=" + bytes + "&seed=" + seed).openConnection();
            c.setConnectTimeout(3000);
            c.setReadTimeout(60_000); // a dark path stalls a TCP stream this long before it fails
            if (!connect(c, t)) {
                return;
            }
            SplittableRandom r = new SplittableRandom(seed);
            byte[] want = new byte[64 << 10];
            byte[] got = new byte[64 << 10];
            long read = 0;
            try (InputStream in = c.getInputStream()) {
                while (read < bytes) {
                    int n = (int) Math.min(want.length, bytes - read);
                    SoakServer.fill(r, want, n);
                    int off = 0;
                    while (off < n) {
                        int k = in.read(got, off, n - off);
                        if (k < 0) {
                            throw new java.io.EOFException("stream ended at " + (read + off) + " of " + bytes);
                        }
                        off += k;
                    }
                    if (!Arrays.equals(want, 0, n, got, 0, n)) {
                        LONG_CORRUPT.incrementAndGet();
                        System.out.println("FAIL corrupt " + t + " bytes differ after " + read);
                        return;
                    }
                    read += n;
                    BYTES.addAndGet(n);
                }
            }
            LONG_OK.incrementAndGet();
        } catch (Exception e) {
            LONG_FAILED.incrementAndGet();
            System.out.println("FAIL long " + t + " " + e);
        }
    }
}
