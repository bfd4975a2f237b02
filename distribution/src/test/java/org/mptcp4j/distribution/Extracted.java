package org.mptcp4j.distribution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mptcp4j.testbed.Command;

/** The distribution tarball of this build, extracted once per test JVM under target/ (not /tmp: one test hides /tmp). */
final class Extracted {
    private Extracted() {}

    private static Path home;

    static synchronized Path home() {
        if (home == null) {
            try {
                Path tarball = Path.of(System.getProperty("mptcp4j.distribution"));
                Path dir = tarball.getParent().resolve("extracted");
                Command.run("rm", "-rf", dir.toString());
                Files.createDirectories(dir);
                Command.run("tar", "xzf", tarball.toString(), "-C", dir.toString());
                home = dir.resolve("mptcp4j-" + System.getProperty("mptcp4j.version"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return home;
    }
}
