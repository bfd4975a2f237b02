package org.mptcp4j.agent;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.mptcp4j.agent.HookPoint.Feature;
import org.mptcp4j.internal.sys.UserCache;

/**
 * What {@link Weaver} made of a class at an earlier start, kept in the user's private cache directory
 * ({@link UserCache}), and read first from a directory prepared ahead for every user where
 * {@code -Dmptcp4j.agent.wovenCache} names one ({@link Prepare}): a JDK's or Netty's class files are the same at
 * every start, and weaving them first means loading ASM. An entry is used only for the class file it was woven from (its length and CRC-32 in
 * the entry's name, its Adler-32 inside: not a copy compared byte for byte, which runs interpreted at every
 * start) and the exact agent build that wove it (its name carries the start of the SHA-256 of the jar the
 * build wrote). Anything unexpected is a miss: the class is woven as if there were no cache.
 */
final class WovenCache {
    private static final int MAGIC = 0x4d34_4a58; // "M4JX": entries name their class file by two checksums

    /** A directory prepared ahead, for every user (an image's: docs/containers.md), read before the user's own. */
    static final String PREPARED_PROPERTY = "mptcp4j.agent.wovenCache";

    private volatile String build; // null: this agent build's name, read at first use
    private final Path dir; // null: the user's cache directory, found at first use
    private final String prepared; // the prepared directory named by the property, or null
    private volatile Path preparedDir; // set once it was found trustworthy (created if missing and possible)
    private volatile boolean preparedChecked;
    private final Set<String> keptAhead = new java.util.HashSet<>(); // under itself: see keptAhead(String)

    WovenCache(String build, Path dir) {
        this(build, dir, null);
    }

    WovenCache(String build, Path dir, String prepared) {
        this.build = build;
        this.dir = dir;
        this.prepared = prepared;
    }

    /** The cache, or null when turned off; the build's name and the directories are found at the first class woven, not at start-up. */
    static WovenCache open() {
        return Boolean.getBoolean("mptcp4j.agent.noWovenCache") ? null : new WovenCache(null, null, System.getProperty(PREPARED_PROPERTY));
    }

    /**
     * The prepared directory, or null: none named, or one that cannot be trusted (said once: its content would be
     * loaded as code). Created, readable by all and writable by this user only, where it is missing and can be.
     */
    private Path prepared() {
        if (prepared == null || prepared.isEmpty()) {
            return null;
        }
        if (!preparedChecked) {
            synchronized (this) {
                if (!preparedChecked) {
                    Path p = Path.of(prepared);
                    try {
                        java.nio.file.Files.createDirectories(p, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
                    } catch (IOException | RuntimeException e) {
                        // read-only or not ours: checked as it is
                    }
                    String why = UserCache.untrustedShared(p);
                    if (why == null) {
                        preparedDir = p;
                    } else {
                        AgentLog.warn("-D" + PREPARED_PROPERTY + "=" + prepared + " is not used: " + why + "; expected a directory of root"
                                + " or this user that only its owner can write, filled by org.mptcp4j.agent.Prepare (docs/containers.md)");
                    }
                    preparedChecked = true;
                }
            }
        }
        return preparedDir;
    }

    /** This agent build's name (written into the jar by the build), or "" when it runs from class directories: no caching then. */
    private String build() {
        String b = build;
        if (b == null) {
            try (java.io.InputStream in = WovenCache.class.getResourceAsStream("build-id")) {
                b = in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).trim().substring(0, 16);
            } catch (IOException | RuntimeException e) {
                b = "";
            }
            build = b;
        }
        return b;
    }

    /** What every entry of this class's starts with, whichever class file and build it was woven from. */
    private static String prefix(String internalName) {
        return "woven-" + internalName.replace('/', '.') + "-";
    }

    private String name(String internalName, byte[] original) {
        return prefix(internalName) + Long.toHexString(UserCache.crc32(original)) + "-" + original.length + "-" + build();
    }

    /** The result of weaving {@code original} as an earlier start (or the prepared directory) stored it, or null. */
    Weaver.Result get(String internalName, byte[] original) {
        if (build().isEmpty()) {
            return null;
        }
        Path shared = prepared();
        String name = name(internalName, original);
        byte[] entry = shared == null ? null : UserCache.readShared(shared, name);
        boolean inShared = entry != null;
        if (entry == null) {
            Path dir = directory();
            entry = dir == null ? null : UserCache.read(dir, name);
            if (entry != null && shared != null && java.nio.file.Files.isWritable(shared)) {
                try {
                    UserCache.write(shared, name, entry); // preparing: what this user kept belongs there too
                    inShared = true;
                } catch (IOException e) {
                    AgentLog.debug("woven " + internalName + " not kept in " + shared + ": " + e);
                }
            }
        }
        if (entry == null) {
            return null;
        }
        Weaver.Result r = parse(entry, original);
        if (r != null && inShared) {
            markKeptAhead(internalName);
        }
        return r;
    }

    /** An entry's result, or null when it is not one woven from {@code original}. */
    private static Weaver.Result parse(byte[] entry, byte[] original) {
        try {
            java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(entry);
            if (in.getInt() != MAGIC) {
                return null;
            }
            int mask = in.getInt();
            int hooked = in.getInt();
            if (in.getInt() != original.length || in.getLong() != UserCache.adler32(original)) {
                return null; // same CRC-32, another class file
            }
            int length = in.getInt();
            if (length > in.remaining()) {
                return null;
            }
            byte[] woven = length < 0 ? null : new byte[length];
            if (woven != null) {
                in.get(woven);
            }
            return new Weaver.Result(woven, features(mask), hooked);
        } catch (RuntimeException e) {
            return null; // truncated or foreign
        }
    }

    /** Keeps {@code r} for the next start (in the prepared directory where this user can write it); a failure only means the next start weaves again. */
    void put(String internalName, byte[] original, Weaver.Result r) {
        Path shared = prepared();
        Path dir = shared != null && java.nio.file.Files.isWritable(shared) ? shared : directory();
        if (dir == null || build().isEmpty()) {
            return;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(original.length + 64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(mask(r.features()));
            out.writeInt(r.hooked());
            out.writeInt(original.length);
            out.writeLong(UserCache.adler32(original));
            out.writeInt(r.bytes() == null ? -1 : r.bytes().length);
            if (r.bytes() != null) {
                out.write(r.bytes());
            }
            UserCache.write(dir, name(internalName, original), bytes.toByteArray());
            if (dir == shared) {
                markKeptAhead(internalName);
            }
            forgetOtherBuilds(dir, internalName);
        } catch (IOException | RuntimeException e) {
            AgentLog.debug("woven " + internalName + " not kept for the next start: " + e);
        }
    }

    private void markKeptAhead(String internalName) {
        synchronized (keptAhead) {
            keptAhead.add(internalName.replace('/', '.'));
        }
    }

    /**
     * Whether the prepared directory holds the class of this binary name as woven by this build, as this JVM read or
     * wrote it there: what {@link Prepare} checks once it has loaded the classes.
     */
    boolean keptAhead(String binaryName) {
        synchronized (keptAhead) {
            return keptAhead.contains(binaryName);
        }
    }

    /**
     * Deletes what other agent builds kept of this class, so that upgrades (or every build, in development)
     * do not pile up entries; another JVM reading one meanwhile just weaves. Runs only when a class was woven.
     */
    private void forgetOtherBuilds(Path dir, String internalName) throws IOException {
        String suffix = "-" + build();
        try (java.nio.file.DirectoryStream<Path> entries = java.nio.file.Files.newDirectoryStream(dir, prefix(internalName) + "*")) {
            for (Path p : entries) {
                String n = p.getFileName().toString();
                if (!n.endsWith(suffix) && n.lastIndexOf('-') == n.length() - suffix.length()) {
                    java.nio.file.Files.deleteIfExists(p); // another build's entry (a partial file ends in .PID: left alone)
                }
            }
        }
    }

    private Path directory() {
        return dir != null ? dir : UserCache.directory();
    }

    static int mask(Set<Feature> features) {
        int mask = 0;
        for (Feature f : features) {
            mask |= 1 << f.ordinal();
        }
        return mask;
    }

    static Set<Feature> features(int mask) {
        Set<Feature> s = EnumSet.noneOf(Feature.class);
        for (Feature f : Feature.values()) {
            if ((mask & 1 << f.ordinal()) != 0) {
                s.add(f);
            }
        }
        return s;
    }
}
