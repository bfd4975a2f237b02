package org.mptcp4j.cli;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The iperf3 control protocol (as spoken by iperf3 3.x over TCP): a 37-byte cookie, one-byte
 * state messages, and length-prefixed JSON for parameters and results. Just enough JSON handling
 * for the flat objects iperf3 exchanges.
 */
final class Iperf3 {
    private Iperf3() {}

    static final int COOKIE_SIZE = 37;

    static final byte TEST_START = 1;
    static final byte TEST_RUNNING = 2;
    static final byte TEST_END = 4;
    static final byte PARAM_EXCHANGE = 9;
    static final byte CREATE_STREAMS = 10;
    static final byte SERVER_TERMINATE = 11;
    static final byte CLIENT_TERMINATE = 12;
    static final byte EXCHANGE_RESULTS = 13;
    static final byte DISPLAY_RESULTS = 14;
    static final byte IPERF_START = 15;
    static final byte IPERF_DONE = 16;
    static final byte ACCESS_DENIED = -1;
    static final byte SERVER_ERROR = -2;

    private static final String COOKIE_CHARS = "abcdefghijklmnopqrstuvwxyz234567";

    static byte[] newCookie() {
        SecureRandom r = new SecureRandom();
        byte[] c = new byte[COOKIE_SIZE];
        for (int i = 0; i < COOKIE_SIZE - 1; i++) {
            c[i] = (byte) COOKIE_CHARS.charAt(r.nextInt(COOKIE_CHARS.length()));
        }
        return c; // NUL-terminated
    }

    static void writeFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    static void readFully(SocketChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new EOFException("iperf3 peer closed the control connection");
            }
        }
    }

    static void sendState(SocketChannel ch, byte state) throws IOException {
        writeFully(ch, ByteBuffer.wrap(new byte[] {state}));
    }

    static byte readState(SocketChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(1);
        readFully(ch, b);
        return b.get(0);
    }

    static void sendJson(SocketChannel ch, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes);
        b.flip();
        writeFully(ch, b);
    }

    static String readJson(SocketChannel ch) throws IOException {
        ByteBuffer len = ByteBuffer.allocate(4);
        readFully(ch, len);
        int n = len.getInt(0);
        if (n < 0 || n > 1 << 20) {
            throw new IOException("iperf3 peer sent a JSON length of " + n + " bytes: not an iperf3 peer?");
        }
        ByteBuffer body = ByteBuffer.allocate(n);
        readFully(ch, body);
        return new String(body.array(), StandardCharsets.UTF_8);
    }

    private static Matcher field(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(-?[0-9.eE+]+|true|false)").matcher(json);
        return m.find() ? m : null;
    }

    static double number(String json, String key, double otherwise) {
        Matcher m = field(json, key);
        return m == null || m.group(1).equals("true") || m.group(1).equals("false") ? otherwise : Double.parseDouble(m.group(1));
    }

    static boolean bool(String json, String key) {
        Matcher m = field(json, key);
        return m != null && (m.group(1).equals("true") || (!m.group(1).equals("false") && Double.parseDouble(m.group(1)) != 0));
    }

    /** Sum of every {@code "bytes": N} in a results object (one per stream). */
    static long streamBytes(String json) {
        Matcher m = Pattern.compile("\"bytes\"\\s*:\\s*(\\d+)").matcher(json);
        long total = 0;
        while (m.find()) {
            total += Long.parseLong(m.group(1));
        }
        return total;
    }

    /** A results object as iperf3 exchanges it: one entry per stream. */
    static String results(long[] bytes, long retransmits, double seconds) {
        StringBuilder b = new StringBuilder("{\"cpu_util_total\":0,\"cpu_util_user\":0,\"cpu_util_system\":0,\"sender_has_retransmits\":")
                .append(retransmits >= 0 ? 1 : 0).append(",\"streams\":[");
        for (int i = 0; i < bytes.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            // iperf3 numbers its streams 1, 3, 4, ... and checks the ids it gets back
            b.append("{\"id\":").append(i == 0 ? 1 : i + 2).append(",\"bytes\":").append(bytes[i])
                    .append(",\"retransmits\":").append(i == 0 ? retransmits : 0)
                    .append(",\"jitter\":0,\"errors\":0,\"packets\":0,\"start_time\":0,\"end_time\":")
                    .append(String.format(java.util.Locale.ROOT, "%.6f", seconds)).append('}');
        }
        return b.append("]}").toString();
    }
}
