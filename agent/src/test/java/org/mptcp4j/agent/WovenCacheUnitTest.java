package org.mptcp4j.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.mptcp4j.internal.sys.UserCache;

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
    void anotherClassFileWithTheSameLengthAndCrc32WeavesAgain() throws IOException {
        byte[] original = net();
        new WovenCache("build1", dir).put("sun/nio/ch/Net", original, Weaver.weave("sun/nio/ch/Net", original, ""));
        byte[] other = sameCrc32(original);
        assertTrue(!java.util.Arrays.equals(other, original) && UserCache.crc32(other) == UserCache.crc32(original));
        assertNull(new WovenCache("build1", dir).get("sun/nio/ch/Net", other));
    }

    /**
     * {@code b} with its last bit flipped and four bytes before it changed so that the CRC-32 stays: for
     * messages of one length the CRC-32 of {@code b ^ d} is {@code crc(b) ^ crc(d) ^ crc(zeros)}, and the 32
     * bits of four consecutive bytes reach every CRC value (solved by Gaussian elimination over GF(2)).
     */
    private static byte[] sameCrc32(byte[] b) {
        int n = b.length;
        int at = n - 8;
        long zeros = UserCache.crc32(new byte[n]);
        long[] value = new long[32]; // the echelon basis by leading bit: a CRC difference ...
        long[] bits = new long[32]; // ... and which of the 32 bits at `at` make it
        for (int j = 0; j < 32; j++) {
            byte[] e = new byte[n];
            e[at + j / 8] = (byte) (1 << (j % 8));
            long v = UserCache.crc32(e) ^ zeros;
            long used = 1L << j;
            for (int k = 31; k >= 0 && v != 0; k--) {
                if ((v >>> k & 1) == 0) {
                    continue;
                }
                if (value[k] == 0) {
                    value[k] = v;
                    bits[k] = used;
                    break;
                }
                v ^= value[k];
                used ^= bits[k];
            }
        }
        byte[] flip = new byte[n];
        flip[n - 1] = 1;
        long target = UserCache.crc32(flip) ^ zeros;
        long chosen = 0;
        for (int k = 31; k >= 0; k--) {
            if ((target >>> k & 1) != 0) {
                target ^= value[k];
                chosen ^= bits[k];
            }
        }
        byte[] other = b.clone();
        other[n - 1] ^= 1;
        for (int j = 0; j < 32; j++) {
            if ((chosen >>> j & 1) != 0) {
                other[at + j / 8] ^= (byte) (1 << (j % 8));
            }
        }
        return other;
    }

    /** Net woven and kept by {@code cache}: the file of its entry. */
    private Path keptNet(WovenCache cache, byte[] original) throws IOException {
        cache.put("sun/nio/ch/Net", original, Weaver.weave("sun/nio/ch/Net", original, ""));
        try (var files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith("woven-sun.nio.ch.Net-")).findFirst().orElseThrow();
        }
    }

    @Test
    void aDamagedEntryIsAMiss() throws IOException {
        byte[] original = net();
        WovenCache cache = new WovenCache("build1", dir);
        Path entry = keptNet(cache, original);
        byte[] b = Files.readAllBytes(entry);
        Files.write(entry, java.util.Arrays.copyOf(b, b.length / 2));
        assertNull(cache.get("sun/nio/ch/Net", original));
    }

    @Test
    void anEntryClaimingMoreBytesThanItHoldsIsAMissNotAnAllocation() throws IOException {
        byte[] original = net();
        WovenCache cache = new WovenCache("build1", dir);
        Path entry = keptNet(cache, original);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(Files.readAllBytes(entry));
        b.putInt(4 + 4 + 4 + 4 + 8, Integer.MAX_VALUE); // the woven length (after magic, mask, hooked, length, Adler-32): more than any array
        Files.write(entry, b.array());
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

    /** A prepared directory of this user's, readable by all and writable by it only, as an image build leaves it. */
    private Path prepared() throws IOException {
        Path p = dir.resolve("prepared");
        Files.createDirectory(p);
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void aClassKeptInAPreparedDirectoryIsTakenFromItBeforeTheUsersOwn() throws IOException {
        byte[] original = net();
        Path prepared = prepared();
        Path own = Files.createDirectory(dir.resolve("own"));
        new WovenCache("build1", own, prepared.toString()).put("sun/nio/ch/Net", original, Weaver.weave("sun/nio/ch/Net", original, ""));
        try (var files = Files.list(own)) {
            assertEquals(0, files.count(), "kept in the prepared directory, where this user can write");
        }
        assertNotNull(new WovenCache("build1", own, prepared.toString()).get("sun/nio/ch/Net", original));
    }

    @Test
    void aPreparedDirectoryOthersCanWriteIsNotUsed() throws IOException {
        byte[] original = net();
        Path prepared = prepared();
        new WovenCache("build1", dir, prepared.toString()).put("sun/nio/ch/Net", original, Weaver.weave("sun/nio/ch/Net", original, ""));
        Files.setPosixFilePermissions(prepared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        assertNull(new WovenCache("build1", Files.createDirectory(dir.resolve("own")), prepared.toString()).get("sun/nio/ch/Net", original),
                "what others could have written is not loaded as code");
    }

    @Test
    void anEntryOthersCanWriteInAPreparedDirectoryIsAMiss() throws IOException {
        byte[] original = net();
        Path prepared = prepared();
        new WovenCache("build1", dir, prepared.toString()).put("sun/nio/ch/Net", original, Weaver.weave("sun/nio/ch/Net", original, ""));
        try (var files = Files.list(prepared)) {
            Files.setPosixFilePermissions(files.findFirst().orElseThrow(), java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        assertNull(new WovenCache("build1", Files.createDirectory(dir.resolve("own")), prepared.toString()).get("sun/nio/ch/Net", original));
    }

    @Test
    void aClassWrittenToThePreparedDirectoryIsKeptAhead() throws IOException {
        byte[] original = net();
        WovenCache cache = new WovenCache("build1", Files.createDirectory(dir.resolve("own")), prepared().toString());
        assertFalse(cache.keptAhead("sun.nio.ch.Net"), "nothing woven yet");
        cache.put("sun/nio/ch/Net", original, Weaver.weave("sun/nio/ch/Net", original, ""));
        assertTrue(cache.keptAhead("sun.nio.ch.Net"));
    }

    @Test
    void aClassReadFromThePreparedDirectoryIsKeptAhead() throws IOException {
        byte[] original = net();
        Path prepared = prepared();
        new WovenCache("build1", dir, prepared.toString()).put("sun/nio/ch/Net", original, Weaver.weave("sun/nio/ch/Net", original, ""));
        WovenCache later = new WovenCache("build1", Files.createDirectory(dir.resolve("own")), prepared.toString());
        assertNotNull(later.get("sun/nio/ch/Net", original));
        assertTrue(later.keptAhead("sun.nio.ch.Net"));
    }

    @Test
    void aClassKeptOnlyInTheUsersOwnDirectoryIsNotKeptAhead() throws IOException {
        byte[] original = net();
        Path prepared = prepared();
        Files.setPosixFilePermissions(prepared, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx")); // not trusted
        WovenCache cache = new WovenCache("build1", Files.createDirectory(dir.resolve("own")), prepared.toString());
        cache.put("sun/nio/ch/Net", original, Weaver.weave("sun/nio/ch/Net", original, ""));
        assertNotNull(cache.get("sun/nio/ch/Net", original), "kept, in the user's own directory");
        assertFalse(cache.keptAhead("sun.nio.ch.Net"), "an image's start would not find it");
    }

    @Test
    void preparingCopiesWhatTheUserKeptIntoThePreparedDirectory() throws IOException {
        byte[] original = net();
        Path own = Files.createDirectory(dir.resolve("own"));
        new WovenCache("build1", own).put("sun/nio/ch/Net", original, Weaver.weave("sun/nio/ch/Net", original, ""));
        Path prepared = prepared();
        assertNotNull(new WovenCache("build1", own, prepared.toString()).get("sun/nio/ch/Net", original), "found in the user's own");
        assertNotNull(new WovenCache("build1", Files.createDirectory(dir.resolve("other")), prepared.toString()).get("sun/nio/ch/Net", original),
                "and now in the prepared directory, for a start that has nothing of its own");
    }

    @Test
    void aPreparedDirectoryThatCannotBeMadeIsAMissNotAFailure() throws IOException {
        byte[] original = net();
        Path own = Files.createDirectory(dir.resolve("own"));
        new WovenCache("build1", own).put("sun/nio/ch/Net", original, Weaver.weave("sun/nio/ch/Net", original, ""));
        Path impossible = Files.createFile(dir.resolve("a-file")).resolve("woven"); // not even root makes a directory below a file
        assertNotNull(new WovenCache("build1", own, impossible.toString()).get("sun/nio/ch/Net", original), "the user's own cache still serves");
        assertTrue(!Files.exists(impossible));
    }
}
