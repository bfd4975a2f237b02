package org.mptcp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code perf -J}'s document, built from measured values without a network namespace, against the
 * documents Debian's iperf3 3.12 wrote (src/test/resources/golden/iperf3-3.12: client and server, two
 * streams, reverse with one omitted second).
 */
class PerfJsonUnitTest {
    ServerSocketChannel listener;
    final List<SocketChannel> open = new ArrayList<>();

    @BeforeEach
    void loopbackListener() throws IOException {
        listener = ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    }

    @AfterEach
    void close() throws IOException {
        for (SocketChannel c : open) {
            c.close();
        }
        listener.close();
    }

    @Test
    void clientSendingTwoStreamsReadsLikeIperf3sClient() throws Exception {
        JsonObject ours = document(true, true, 2, false);
        Iperf3Shape.assertSameShape(golden("client-P2.json"), ours);
        Iperf3Shape.assertSameReading(golden("client-P2.json"), ours);
    }

    @Test
    void clientReceivingAfterAnOmittedSecondReadsLikeIperf3sClient() throws Exception {
        JsonObject ours = document(true, false, 1, true);
        Iperf3Shape.assertSameShape(golden("client-R-O1.json"), ours);
        Iperf3Shape.assertSameReading(golden("client-R-O1.json"), ours);
    }

    @Test
    void serverReceivingTwoStreamsReadsLikeIperf3sServer() throws Exception {
        Iperf3Shape.assertSameShape(golden("server-P2.json"), document(false, false, 2, false));
    }

    @Test
    void serverSendingAfterAnOmittedSecondReadsLikeIperf3sServer() throws Exception {
        Iperf3Shape.assertSameShape(golden("server-R-O1.json"), document(false, true, 1, true));
    }

    @Test
    void peersExchangedResultsFillTheOtherDirection() {
        List<PerfMeter.StreamTotal> mine = List.of(total(5, 1_000_000), total(7, 2_000_000));
        List<PerfMeter.StreamTotal> theirs = List.of(total(5, 999_000), total(7, 1_998_000));
        JsonObject exchanged = Iperf3.results(theirs, false, new CpuUse(12.5, 2.5, 10), "cubic");
        PerfEnd end = PerfEnd.of(true, mine, 2.0, exchanged, new CpuUse(50, 5, 45), "bbr");
        assertEquals(3_000_000, end.sumSent().bytes());
        assertEquals(2_997_000, end.sumReceived().bytes());
        assertEquals(999_000, end.received().get(0).bytes());
        assertEquals(12.5, end.remoteCpu().totalPercent());
        assertEquals("cubic", end.remoteCongestion());
    }

    @Test
    void bitratesAreBytesOverSeconds() throws Exception {
        JsonObject sum = document(true, true, 2, false).getAsJsonArray("intervals").get(0).getAsJsonObject().getAsJsonObject("sum");
        double expected = sum.get("bytes").getAsLong() * 8 / sum.get("seconds").getAsDouble();
        assertEquals(expected, sum.get("bits_per_second").getAsDouble(), expected * 1e-9);
    }

    @Test
    void integralValuesAreWrittenWithoutAFraction() throws Exception {
        JsonObject sent = document(true, true, 1, false).getAsJsonObject("end").getAsJsonObject("sum_sent");
        assertEquals("0", sent.get("start").getAsString()); // as iperf3's cJSON writes 0.0
        assertFalse(sent.get("bits_per_second").getAsString().contains("E"), "plain notation: " + sent.get("bits_per_second"));
    }

    /** A test's document as PerfClient or PerfServer builds it, from values a meter could have measured. */
    private JsonObject document(boolean client, boolean sender, int streams, boolean omit) throws IOException {
        PerfJson json = new PerfJson(sender);
        SocketChannel control = connect();
        json.test(client, (InetSocketAddress) (client ? control.getRemoteAddress() : control.getLocalAddress()), "c".repeat(36), control,
                streams, omit ? 1 : 0, 2, client ? !sender : sender);
        for (int i = 0; i < streams; i++) {
            json.connected(PerfMeter.socket(i), connect());
        }
        List<PerfMeter.Interval> intervals = new ArrayList<>();
        if (omit) {
            intervals.add(interval(streams, 0, 1.000003, true));
        }
        intervals.add(interval(streams, 0, 1.000012, false));
        intervals.add(interval(streams, 1.000012, 2.000487, false));
        json.intervals(intervals);
        List<PerfMeter.StreamTotal> totals = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            totals.add(total(PerfMeter.socket(i), 250_000_000L + i));
        }
        JsonObject theirs = Iperf3.results(totals, !sender, new CpuUse(40.25, 1.5, 38.75), "bbr");
        json.end(PerfEnd.of(sender, totals, 2.000487, theirs, new CpuUse(90.5, 3.25, 87.25), "bbr"));
        return JsonParser.parseString(json.toString()).getAsJsonObject();
    }

    private static PerfMeter.Interval interval(int streams, double from, double to, boolean omitted) {
        List<PerfMeter.StreamInterval> list = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            list.add(new PerfMeter.StreamInterval(PerfMeter.socket(i), from, to, 125_000_000L + i, 3, 785_796, 42, 7, 2, omitted));
        }
        return new PerfMeter.Interval(list);
    }

    private static PerfMeter.StreamTotal total(int socket, long bytes) {
        return new PerfMeter.StreamTotal(socket, 2.000487, bytes, 5, 916_762, 20, 55, 31);
    }

    private SocketChannel connect() throws IOException {
        SocketChannel c = SocketChannel.open(listener.getLocalAddress());
        open.add(c);
        open.add(listener.accept());
        return c;
    }

    private static JsonObject golden(String name) throws IOException {
        try (InputStream in = PerfJsonUnitTest.class.getResourceAsStream("/golden/iperf3-3.12/" + name)) {
            return JsonParser.parseString(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
        }
    }
}
