package org.mptcp4j.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

/**
 * The iperf3 control protocol (iperf3 3.x over TCP): a 37-byte cookie, one-byte state messages, and
 * length-prefixed JSON for parameters and results.
 */
final class Iperf3 {
    private Iperf3() {}

    static final int COOKIE_SIZE = 37;
    /** iperf3's own bound on a JSON message; a longer one is not from an iperf3 peer. */
    static final int MAX_JSON = 1 << 20;

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

    static void sendJson(SocketChannel ch, JsonObject json) throws IOException {
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes);
        b.flip();
        writeFully(ch, b);
    }

    static JsonObject readJson(SocketChannel ch) throws IOException {
        ByteBuffer len = ByteBuffer.allocate(4);
        readFully(ch, len);
        int n = len.getInt(0);
        if (n < 0 || n > MAX_JSON) {
            throw new IOException("iperf3 peer sent a JSON length of " + n + " bytes (expected 0-" + MAX_JSON + "): not an iperf3 peer?");
        }
        ByteBuffer body = ByteBuffer.allocate(n);
        readFully(ch, body);
        try {
            JsonElement e = JsonParser.parseString(new String(body.array(), StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new IOException("iperf3 peer sent JSON that is not an object: " + abbreviate(e.toString()));
            }
            return e.getAsJsonObject();
        } catch (com.google.gson.JsonParseException e) {
            throw new IOException("iperf3 peer sent malformed JSON: " + e.getMessage(), e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    static double number(JsonObject json, String key, double otherwise) {
        JsonElement e = json.get(key);
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsDouble() : otherwise;
    }

    /** iperf3 sends flags as true or as 1. */
    static boolean flag(JsonObject json, String key) {
        JsonElement e = json.get(key);
        if (e == null || !e.isJsonPrimitive()) {
            return false;
        }
        return e.getAsJsonPrimitive().isBoolean() ? e.getAsBoolean() : e.getAsJsonPrimitive().isNumber() && e.getAsDouble() != 0;
    }

    /** The bytes each stream of a results object reports, summed. */
    static long streamBytes(JsonObject results) {
        long total = 0;
        JsonElement streams = results.get("streams");
        if (streams != null && streams.isJsonArray()) {
            for (JsonElement s : streams.getAsJsonArray()) {
                if (s.isJsonObject()) {
                    total += (long) number(s.getAsJsonObject(), "bytes", 0);
                }
            }
        }
        return total;
    }

    /** A results object as iperf3 exchanges it: this side's CPU use and congestion control, one entry per stream. */
    static JsonObject results(List<PerfMeter.StreamTotal> totals, boolean sender, CpuUse cpu, String congestion) {
        JsonObject r = new JsonObject();
        r.addProperty("cpu_util_total", cpu.totalPercent());
        r.addProperty("cpu_util_user", cpu.userPercent());
        r.addProperty("cpu_util_system", cpu.systemPercent());
        r.addProperty("sender_has_retransmits", sender ? 1 : 0);
        if (!congestion.isEmpty()) {
            r.addProperty("congestion_used", congestion);
        }
        JsonArray streams = new JsonArray();
        for (int i = 0; i < totals.size(); i++) {
            PerfMeter.StreamTotal t = totals.get(i);
            JsonObject s = new JsonObject();
            s.addProperty("id", streamId(i)); // iperf3 checks the ids it gets back
            s.addProperty("bytes", t.bytes());
            s.addProperty("retransmits", sender ? t.retransmits() : -1);
            s.addProperty("jitter", 0);
            s.addProperty("errors", 0);
            s.addProperty("packets", 0);
            s.addProperty("start_time", 0);
            s.addProperty("end_time", t.seconds());
            streams.add(s);
        }
        r.add("streams", streams);
        return r;
    }

    /** The namespace's default congestion control, which the test's sockets use (perf does not set one). */
    static String congestion() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/tcp_congestion_control")).strip();
        } catch (IOException e) {
            return "";
        }
    }

    /** iperf3 numbers its streams 1, 3, 4, ... (2 was once its control socket). */
    static int streamId(int index) {
        return index == 0 ? 1 : index + 2;
    }

    /** The parameters a client sends (the shape iperf3 3.12's client sends). */
    static JsonObject parameters(PerfOptions o) {
        JsonObject p = new JsonObject();
        p.addProperty("tcp", true);
        p.addProperty("omit", o.omit());
        p.addProperty("time", (long) Math.ceil(o.seconds()));
        p.addProperty("num", 0);
        p.addProperty("blockcount", 0);
        p.addProperty("parallel", o.parallel());
        if (o.reverse()) {
            p.addProperty("reverse", true);
        }
        p.addProperty("len", 131072);
        p.addProperty("pacing_timer", 1000);
        p.addProperty("client_version", "3.12");
        return p;
    }
}
