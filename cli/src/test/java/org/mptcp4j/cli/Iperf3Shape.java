package org.mptcp4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What "reads like iperf3's JSON" means in the tests: every key path iperf3 writes is there with the
 * same JSON kind, integers where iperf3 writes non-zero integers; and one reader written for iperf3
 * takes the same facts from both documents.
 */
final class Iperf3Shape {
    private Iperf3Shape() {}

    /** The kinds of value each key path holds: object, array, string, boolean, integer, fraction; and whether all were 0. */
    private static Map<String, Set<String>> shape(JsonElement root) {
        Map<String, Set<String>> out = new TreeMap<>();
        walk("", root, out);
        return out;
    }

    private static void walk(String path, JsonElement e, Map<String, Set<String>> out) {
        Set<String> kinds = out.computeIfAbsent(path, k -> new TreeSet<>());
        if (e.isJsonObject()) {
            kinds.add("object");
            e.getAsJsonObject().entrySet().forEach(en -> walk(path + "." + en.getKey(), en.getValue(), out));
        } else if (e.isJsonArray()) {
            kinds.add("array");
            e.getAsJsonArray().forEach(v -> walk(path + "[]", v, out));
        } else if (e.isJsonNull()) {
            kinds.add("null");
        } else {
            JsonPrimitive p = e.getAsJsonPrimitive();
            if (p.isBoolean()) {
                kinds.add("boolean");
            } else if (p.isString()) {
                kinds.add("string");
            } else {
                String text = p.getAsString();
                kinds.add(text.contains(".") || text.contains("e") || text.contains("E") ? "fraction" : "integer");
                if (p.getAsDouble() != 0) {
                    kinds.add("nonzero");
                }
            }
        }
    }

    static void assertSameShape(JsonObject reference, JsonObject ours) {
        Map<String, Set<String>> theirs = shape(reference);
        Map<String, Set<String>> mine = shape(ours);
        List<String> wrong = new ArrayList<>();
        theirs.forEach((path, kinds) -> {
            Set<String> k = mine.get(path);
            if (k == null) {
                wrong.add(path + " missing");
            } else if (!compatible(kinds, k)) {
                wrong.add(path + " is " + k + ", iperf3 writes " + kinds);
            }
        });
        assertTrue(wrong.isEmpty(), "perf -J differs from iperf3 -J:\n" + String.join("\n", wrong) + "\nperf wrote:\n" + ours);
    }

    /** Same structural kind; and where iperf3 writes only integers (not just zeros), integers. */
    private static boolean compatible(Set<String> reference, Set<String> ours) {
        Set<String> r = kinds(reference);
        Set<String> o = kinds(ours);
        boolean numbers = r.stream().allMatch(k -> k.equals("integer") || k.equals("fraction"));
        if (!numbers) {
            return r.equals(o);
        }
        boolean integral = r.equals(Set.of("integer")) && reference.contains("nonzero");
        return o.stream().allMatch(k -> k.equals("integer") || (!integral && k.equals("fraction")));
    }

    private static Set<String> kinds(Set<String> k) {
        Set<String> s = new TreeSet<>(k);
        s.remove("nonzero");
        return s;
    }

    /** What a program reading iperf3's JSON takes from it. */
    record Reading(int streams, int reverse, int connected, boolean sender, boolean omittedIntervals, boolean measuredIntervals,
                   double sentBitsPerSecond, double receivedBitsPerSecond) {
        static Reading of(JsonObject j) {
            JsonObject start = j.getAsJsonObject("start");
            JsonObject test = start.getAsJsonObject("test_start");
            JsonArray intervals = j.getAsJsonArray("intervals");
            boolean omitted = false;
            boolean measured = false;
            for (JsonElement iv : intervals) {
                boolean o = iv.getAsJsonObject().getAsJsonObject("sum").get("omitted").getAsBoolean();
                omitted |= o;
                measured |= !o;
            }
            JsonObject end = j.getAsJsonObject("end");
            return new Reading(test.get("num_streams").getAsInt(), test.get("reverse").getAsInt(), start.getAsJsonArray("connected").size(),
                    end.getAsJsonObject("sum_sent").get("sender").getAsBoolean(), omitted, measured,
                    end.getAsJsonObject("sum_sent").get("bits_per_second").getAsDouble(),
                    end.getAsJsonObject("sum_received").get("bits_per_second").getAsDouble());
        }
    }

    static void assertSameReading(JsonObject reference, JsonObject ours) {
        Reading r = Reading.of(reference);
        Reading o = Reading.of(ours);
        assertEquals(r.streams(), o.streams(), "num_streams");
        assertEquals(r.reverse(), o.reverse(), "reverse");
        assertEquals(r.connected(), o.connected(), "connected streams");
        assertEquals(r.sender(), o.sender(), "which side sent");
        assertEquals(r.omittedIntervals(), o.omittedIntervals(), "omitted intervals listed");
        assertTrue(o.measuredIntervals(), "measured intervals listed");
        assertTrue(o.receivedBitsPerSecond() > 0, "received bitrate " + o.receivedBitsPerSecond());
    }
}
