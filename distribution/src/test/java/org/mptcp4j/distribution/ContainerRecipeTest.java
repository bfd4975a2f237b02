package org.mptcp4j.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mptcp4j.Requirements;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.FieldRun;
import org.mptcp4j.testbed.Netns;

/**
 * The container recipe of docs/containers.md, as a container runs it: the woven classes prepared at the
 * image's build, the agent through JAVA_TOOL_OPTIONS, a read-only root file system and a noexec /tmp (a private mount namespace stands in
 * for the container), in a network namespace whose counters judge.
 */
class ContainerRecipeTest {
    static Path home;
    static Path script;

    @BeforeAll
    static void extract() throws Exception {
        Requirements.root();
        home = Extracted.home();
        script = home.getParent().resolve("read-only-root.sh");
        // the build may live under /tmp (a CI clone): a fresh /tmp would hide it, so it is bound back at its own
        // path, read-only like the rest of the root (jffi falls back to the working directory when /tmp is noexec)
        String build = Path.of("").toAbsolutePath().getParent().toString();
        Files.writeString(script, "#!/bin/sh\n"
                + "# what the container runtime does: / read-only, /tmp a noexec tmpfs; then the service\n"
                + "set -e\nmount --make-rprivate /\nBUILD='" + build + "'\n"
                + "case \"$BUILD\" in /tmp/*) mount -t tmpfs tmpfs /mnt; mkdir /mnt/build; mount --rbind \"$BUILD\" /mnt/build;; esac\n"
                + "mount -o remount,bind,ro /\n"
                + "mount -t tmpfs -o noexec,nosuid,nodev tmpfs /tmp\n"
                + "case \"$BUILD\" in /tmp/*) mkdir -p \"$BUILD\"; mount --bind /mnt/build \"$BUILD\"; mount -o remount,bind,ro \"$BUILD\";; esac\n"
                + "exec \"$@\"\n");
        script.toFile().setExecutable(true);
    }

    private static List<String> service(String javaToolOptions) {
        return service(javaToolOptions, false);
    }

    /** The service under the recipe; {@code jffi}: with the native access jffi needs on JDK 24+, as the recipe for other architectures says. */
    private static List<String> service(String javaToolOptions, boolean jffi) {
        List<String> c = new ArrayList<>(List.of("unshare", "-m", script.toString(), "env", "JAVA_TOOL_OPTIONS=" + javaToolOptions,
                ChildJvm.javaBinary()));
        if (jffi && Runtime.version().feature() >= 24) {
            c.add("--enable-native-access=ALL-UNNAMED");
        }
        c.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.mptcp4j.programs.BlockingEcho", FieldRun.HOST));
        return c;
    }

    private static String nativeDir() {
        return home.resolve("lib/native/jni/" + System.getProperty("os.arch").replace("amd64", "x86_64") + "-Linux").toString();
    }

    /**
     * Runs {@code service} in a fresh namespace and checks what every working recipe gives: the service's payload
     * intact, nothing of mptcp4j's to report, its client MPTCP by the kernel's count. The service's output.
     */
    private static String mptcpService(List<String> service) throws Exception {
        try (Netns ns = Netns.create("container").withLocalAddress(FieldRun.HOST + "/24")) {
            String out;
            try (ChildJvm c = ChildJvm.startProgram(ns, service)) {
                assertEquals(0, c.await(60), c.output());
                out = c.output();
            }
            assertTrue(out.contains("OK 1048576"), out);
            assertTrue(out.lines().noneMatch(l -> l.startsWith("mptcp4j")), "nothing to report: " + out);
            assertEquals(1, ns.counter("MPTcpExtMPCapableSYNACKRX"), "MPTCP by the kernel's count");
            return out;
        }
    }

    @Test
    void theRecipeIsMptcpOnAReadOnlyRootWithANoexecTmp() throws Exception {
        assertTrue(Files.isRegularFile(home.resolve("lib/native/linux-x86_64/libmptcp4j.so")), "the distribution ships mptcp4j's JNI library");
        Path woven = home.resolve("woven");
        // the image's build: the JDK's socket classes woven once, into a directory of root's, under the image's JDK
        try (ChildJvm prepare = ChildJvm.startProgram(null, List.of("env", "JAVA_HOME=" + System.getProperty("java.home"),
                home.resolve("bin/mptcp4j").toString(), "prepare", woven.toString()))) {
            assertEquals(0, prepare.await(60), prepare.output());
        }
        String out = mptcpService(service("-agentpath:" + home.resolve("lib/native/linux-x86_64/libmptcp4j.so")
                + " -javaagent:" + home.resolve("lib/mptcp4j-agent.jar") + " -Dmptcp4j.agent.wovenCache=" + woven + " -Xlog:class+load=info"));
        assertTrue(out.lines().noneMatch(l -> l.startsWith("WARNING")), "no native access to grant: " + out);
        assertTrue(out.lines().noneMatch(l -> l.contains("com.kenai.jffi.")), "mptcp4j's own library did the calls, not jffi");
        assertTrue(out.lines().noneMatch(l -> l.contains(".shaded.asm.")), "the JDK's classes came woven from the image: no ASM loaded\n" + out);
    }

    @Test
    void theRecipeWithTheLibrarysPathAsAPropertyIsMptcpAndNeedsNoNativeAccessGrantEither() throws Exception {
        // the agent loads the library itself then, through java.base on JDK 24+
        String out = mptcpService(service("-javaagent:" + home.resolve("lib/mptcp4j-agent.jar")
                + " -Dmptcp4j.nativeLibrary=" + home.resolve("lib/native/linux-x86_64/libmptcp4j.so")));
        assertTrue(out.lines().noneMatch(l -> l.startsWith("WARNING")), "nothing to grant: " + out);
    }

    @Test
    void theAgentlibFormOfTheRecipeIsMptcpForAClassPathService() throws Exception {
        mptcpService(service("-agentlib:instrument=" + home.resolve("lib/mptcp4j-agent.jar")
                + " -Dmptcp4j.nativeLibrary=" + home.resolve("lib/native/linux-x86_64/libmptcp4j.so")));
    }

    @Test
    void theRecipeForOtherArchitecturesIsMptcpThroughJffi() throws Exception {
        mptcpService(service("-javaagent:" + home.resolve("lib/mptcp4j-agent.jar") + " -Djffi.boot.library.path=" + nativeDir()
                + " -Dmptcp4j.native=jffi", true));
    }

    @Test
    void withoutTheNativeDirectoryTheServiceRunsOnTcpAndOneLineSaysWhatToSet() throws Exception {
        try (Netns ns = Netns.create("container").withLocalAddress(FieldRun.HOST + "/24")) {
            try (ChildJvm c = ChildJvm.startProgram(ns, service("-javaagent:" + home.resolve("lib/mptcp4j-agent.jar")))) {
                assertEquals(0, c.await(60), c.output());
                assertTrue(c.output().contains("OK 1048576"), "the service works: " + c.output());
                List<String> lines = c.output().lines().filter(l -> l.startsWith("mptcp4j agent:")).toList();
                assertEquals(1, lines.size(), c.output());
                assertTrue(lines.get(0).contains("could not be loaded") && lines.get(0).contains("-Djffi.boot.library.path"), lines.get(0));
            }
            assertEquals(0, ns.counter("MPTcpExtMPCapableSYNRX"), "plain TCP");
        }
    }
}
