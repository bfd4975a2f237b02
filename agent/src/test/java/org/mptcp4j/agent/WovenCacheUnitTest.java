package org.mptcp4j.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mptcp4j.agent.HookPoint.Feature;

/** Woven classes kept between starts: used only for the same class file and the same agent build. */
class WovenCacheUnitTest {
    @TempDir
    Path dir;

    private static byte[] net() throws IOException {
        try (InputStream in = Object.class.getResourceAsStream("/sun/nio/ch/Net.class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void aClassWovenOnceIsReturnedAsItWasWoven() throws IOException {
        byte[] original = net();
        Weaver.Result woven = Weaver.weave("sun/nio/ch/Net", original, "");
        new WovenCache("build1", dir).put("sun/nio/ch/Net", original, woven);
        Weaver.Result cached = new WovenCache("build1", dir).get("sun/nio/ch/Net", original);
        assertNotNull(cached);
        assertArrayEquals(woven.bytes(), cached.bytes());
        assertEquals(woven.features(), cached.features());
        assertEquals(woven.hooked(), cached.hooked());
    }

    @Test
    void anotherAgentBuildWeavesAgain() throws IOException {
        byte[] original = net();
        new WovenCache("build1", dir).put("sun/nio/ch/Net", original, Weaver.weave("sun/nio/ch/Net", original, ""));
        assertNull(new WovenCache("build2", dir).get("sun/nio/ch/Net", original));
    }

    @Test
    void wovenByANewBuildTheOldBuildsEntryGoes() throws IOException {
        byte[] original = net();
        Weaver.Result woven = Weaver.weave("sun/nio/ch/Net", original, "");
        new WovenCache("build1", dir).put("sun/nio/ch/Net", original, woven);
        new WovenCache("build1", dir).put("sun/nio/ch/NioSocketImpl", new byte[] {1, 2, 3}, new Weaver.Result(null, EnumSet.noneOf(Feature.class), 0));
        new WovenCache("build2", dir).put("sun/nio/ch/Net", original, woven);
        assertNull(new WovenCache("build1", dir).get("sun/nio/ch/Net", original), "build1's entry for Net is gone");
        assertNotNull(new WovenCache("build2", dir).get("sun/nio/ch/Net", original));
        assertNotNull(new WovenCache("build1", dir).get("sun/nio/ch/NioSocketImpl", new byte[] {1, 2, 3}), "another class's entry stays");
    }

    @Test
    void anotherClassFileOfTheSameNameWeavesAgain() throws IOException {
        byte[] original = net();
        new WovenCache("build1", dir).put("sun/nio/ch/Net", original, Weaver.weave("sun/nio/ch/Net", original, ""));
        byte[] other = original.clone();
        other[other.length - 1] ^= 1;
        assertNull(new WovenCache("build1", dir).get("sun/nio/ch/Net", other));
    }

    @Test
    void aDamagedEntryIsAMiss() throws IOException {
        byte[] original = net();
        WovenCache cache = new WovenCache("build1", dir);
        cache.put("sun/nio/ch/Net", original, Weaver.weave("sun/nio/ch/Net", original, ""));
        try (var files = Files.list(dir)) {
            Path entry = files.filter(p -> p.getFileName().toString().startsWith("woven-sun.nio.ch.Net-")).findFirst().orElseThrow();
            byte[] b = Files.readAllBytes(entry);
            Files.write(entry, java.util.Arrays.copyOf(b, b.length / 2));
        }
        assertNull(cache.get("sun/nio/ch/Net", original));
    }

    @Test
    void aClassWithNoHookPointsIsKeptAsSuch() {
        byte[] original = {(byte) 0xca, (byte) 0xfe, 1, 2};
        new WovenCache("b", dir).put("io/netty/channel/unix/Socket", original, new Weaver.Result(null, EnumSet.noneOf(Feature.class), 0));
        Weaver.Result cached = new WovenCache("b", dir).get("io/netty/channel/unix/Socket", original);
        assertNotNull(cached);
        assertNull(cached.bytes());
        assertEquals(0, cached.hooked());
    }

    @Test
    void everyFeatureFitsTheStoredMask() {
        assertTrue(Feature.values().length <= 31, "features are stored as bits of an int");
        EnumSet<Feature> all = EnumSet.allOf(Feature.class);
        assertEquals(all, WovenCache.features(WovenCache.mask(all)));
    }
}
