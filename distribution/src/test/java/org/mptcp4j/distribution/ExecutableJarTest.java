package org.mptcp4j.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mptcp4j.Requirements;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.FieldRun;
import org.mptcp4j.testbed.Netns;

/**
 * The executable-jar route of docs/library.md and docs/agent.md: {@code java -jar app.jar} with no flag at
 * all, the manifest carrying what the command line would ({@code Add-Opens}, {@code Enable-Native-Access},
 * {@code Launcher-Agent-Class}).
 */
class ExecutableJarTest {
    @TempDir
    Path dir;

    private static Path lib(String name) {
        return Extracted.home().resolve("lib").resolve(name);
    }

    private Path jar(Manifest manifest, Class<?>... classes) throws IOException {
        Path jar = dir.resolve("app.jar");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            for (Class<?> c : classes) {
                String entry = c.getName().replace('.', '/') + ".class";
                out.putNextEntry(new JarEntry(entry));
                try (var in = c.getClassLoader().getResourceAsStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Manifest manifest(Class<?> main, String classPath) {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.put(Attributes.Name.MAIN_CLASS, main.getName());
        a.put(Attributes.Name.CLASS_PATH, classPath);
        a.putValue("Enable-Native-Access", "ALL-UNNAMED");
        return m;
    }

    private String runJar(Netns ns, Path jar) throws Exception {
        List<String> command = new ArrayList<>(List.of(ChildJvm.javaBinary(), "-jar", jar.toString(), FieldRun.HOST));
        try (ChildJvm c = ChildJvm.startProgram(ns, command)) {
            assertEquals(0, c.await(60), c.output());
            return c.output();
        }
    }

    @Test
    void theLibraryNeedsNoFlagWhenTheManifestOpensTheJdk() throws Exception {
        Requirements.root();
        for (String name : List.of("mptcp4j-provider-" + System.getProperty("mptcp4j.version") + ".jar", "jffi-1.3.13.jar", "jffi-1.3.13-native.jar")) {
            Files.copy(lib(name), dir.resolve(name));
        }
        Manifest m = manifest(LibraryEcho.class, "mptcp4j-provider-" + System.getProperty("mptcp4j.version") + ".jar jffi-1.3.13.jar jffi-1.3.13-native.jar");
        m.getMainAttributes().putValue("Add-Opens", "java.base/sun.nio.ch java.base/java.net");
        try (Netns ns = Netns.create("jar").withLocalAddress(FieldRun.HOST + "/24")) {
            String out = runJar(ns, jar(m, LibraryEcho.class));
            assertTrue(out.contains("OK client=MPTCP accepted=MPTCP byte=42"), out);
            assertTrue(out.lines().allMatch(l -> l.startsWith("OK ")), "no warning of any kind: " + out);
        }
    }

    @Test
    void theAgentStartsFromTheManifestWithLauncherAgentClass() throws Exception {
        Requirements.root();
        Files.copy(lib("mptcp4j-agent.jar"), dir.resolve("mptcp4j-agent.jar"));
        Manifest m = manifest(org.mptcp4j.programs.BlockingEcho.class, "mptcp4j-agent.jar");
        m.getMainAttributes().putValue("Launcher-Agent-Class", "org.mptcp4j.agent.Agent");
        try (Netns ns = Netns.create("jar").withLocalAddress(FieldRun.HOST + "/24")) {
            String out = runJar(ns, jar(m, org.mptcp4j.programs.BlockingEcho.class));
            assertTrue(out.contains("OK 1048576"), out);
            assertEquals(1, ns.counter("MPTcpExtMPCapableSYNACKRX"), "the program's client was MPTCP: " + out);
            assertEquals(1, ns.counter("MPTcpExtMPCapableSYNRX"), "and its listener: " + out);
        }
    }
}
