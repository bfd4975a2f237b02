package org.mptcp4j.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mptcp4j.Requirements;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.Command;
import org.mptcp4j.testbed.FieldRun;
import org.mptcp4j.testbed.Netns;

/**
 * What a release would publish: the project, copied without its build output, deployed with Maven to a
 * local file repository ({@code mvn deploy -DaltDeploymentRepository=...}), then read as a user's
 * build would read it.
 */
class PublishTest {
    @TempDir
    static Path dir;
    static Path repo;
    static String version;

    @BeforeAll
    static void deploy() throws Exception {
        version = System.getProperty("mptcp4j.version");
        Path source = Path.of(System.getProperty("mptcp4j.root")).toRealPath();
        Path tree = dir.resolve("tree");
        copyWithoutBuildOutput(source, tree);
        repo = dir.resolve("repo");
        List<String> mvn = new ArrayList<>(List.of("mvn", "-B", "-ntp", "-q", "-f", tree.resolve("pom.xml").toString(), "deploy",
                "-Dmaven.test.skip=true", "-Dmaven.install.skip=true", "-DaltDeploymentRepository=check::file://" + repo));
        Command.run(600, mvn.toArray(new String[0]));
    }

    private static void copyWithoutBuildOutput(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path rel = from.relativize(p);
                String r = rel.toString();
                if (r.startsWith(".git") || r.equals("target") || r.contains("/target") || r.startsWith("target/")
                        || r.endsWith(".flattened-pom.xml")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to.resolve(r));
                } else {
                    Files.copy(p, to.resolve(r));
                }
            }
        }
    }

    private static Path artifact(String id, String suffix) {
        return repo.resolve("org/mptcp4j/" + id + "/" + version);
    }

    private static Path file(String id, String classifierAndExtension) throws IOException {
        try (Stream<Path> files = Files.list(artifact(id, ""))) {
            String pattern = id + "-" + version.replace("-SNAPSHOT", "") + ".*" + classifierAndExtension;
            return files.filter(f -> f.getFileName().toString().matches(pattern)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + id + " " + classifierAndExtension + " in " + artifact(id, "")));
        }
    }

    @Test
    void onlyTheModulesMeantForUsersArePublished() throws Exception {
        try (Stream<Path> ids = Files.list(repo.resolve("org/mptcp4j"))) {
            assertEquals(List.of("mptcp4j-agent", "mptcp4j-micrometer", "mptcp4j-netty", "mptcp4j-parent", "mptcp4j-provider",
                            "mptcp4j-spring-boot-starter"),
                    ids.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        }
    }

    @Test
    void eachPublishedJarHasItsSourcesAndJavadoc() throws Exception {
        for (String id : List.of("mptcp4j-provider", "mptcp4j-agent", "mptcp4j-micrometer", "mptcp4j-netty", "mptcp4j-spring-boot-starter")) {
            for (String kind : List.of("\\d+-\\d+\\.jar", "-sources\\.jar", "-javadoc\\.jar")) {
                assertTrue(Files.size(file(id, kind)) > 0, id + " " + kind);
            }
        }
    }

    @Test
    void theMicrometerBindingLeavesMicrometerToTheApplication() throws Exception {
        String pom = Files.readString(file("mptcp4j-micrometer", "\\d+-\\d+\\.pom"));
        assertTrue(pom.matches("(?s).*<artifactId>micrometer-core</artifactId>\\s*<version>[^<]+</version>\\s*<scope>provided</scope>.*"), pom);
        assertTrue(pom.contains("<artifactId>mptcp4j-provider</artifactId>"), pom);
    }

    @Test
    void theIntegrationsLeaveNettyAndSpringToTheApplication() throws Exception {
        String netty = Files.readString(file("mptcp4j-netty", "\\d+-\\d+\\.pom"));
        for (String a : List.of("netty-transport", "netty-transport-classes-epoll", "reactor-netty-core")) {
            assertTrue(netty.matches("(?s).*<artifactId>" + a + "</artifactId>\\s*<version>[^<]+</version>\\s*<scope>provided</scope>.*"), a + ": " + netty);
        }
        String spring = Files.readString(file("mptcp4j-spring-boot-starter", "\\d+-\\d+\\.pom"));
        for (String a : List.of("spring-boot-autoconfigure", "tomcat-embed-core", "jetty-server", "reactor-netty-http")) {
            assertTrue(spring.matches("(?s).*<artifactId>" + a + "</artifactId>\\s*<version>[^<]+</version>\\s*<scope>provided</scope>.*"), a + ": " + spring);
        }
        assertTrue(spring.contains("<artifactId>mptcp4j-netty</artifactId>"), spring);
    }

    @Test
    void theAgentArtifactIsTheSelfContainedAgentAndRuns() throws Exception {
        Path jar = file("mptcp4j-agent", "\\d+-\\d+\\.jar");
        try (JarFile j = new JarFile(jar.toFile())) {
            Attributes m = j.getManifest().getMainAttributes();
            assertEquals("org.mptcp4j.agent.Agent", m.getValue("Premain-Class"));
            assertEquals("org.mptcp4j.agent.Agent", m.getValue("Agent-Class"));
            assertTrue(j.getEntry("mptcp4j-agent/org/mptcp4j/agent/Installer.class") != null, "the agent inside");
            assertTrue(j.getEntry("mptcp4j-agent/com/kenai/jffi/Foreign.class") != null, "jffi inside");
            if (System.getProperty("os.arch").equals("amd64")) { // built where the build runs on x86_64
                assertTrue(j.getEntry("mptcp4j-agent/org/mptcp4j/internal/sys/native/linux-x86_64/libmptcp4j.so") != null,
                        "mptcp4j's JNI library inside");
            }
        }
        String pom = Files.readString(file("mptcp4j-agent", "\\d+-\\d+\\.pom"));
        assertFalse(pom.contains("<scope>compile</scope>") || pom.contains("<scope>runtime</scope>"),
                "everything the agent needs is inside it: " + pom);
        Requirements.root();
        try (Netns ns = Netns.create("publish").withLocalAddress(FieldRun.HOST + "/24")) {
            List<String> options = new ArrayList<>(List.of("-javaagent:" + jar));
            if (FieldRun.runGrantsNativeAccess()) {
                options.add("--enable-native-access=ALL-UNNAMED"); // jffi loads its own library
            }
            try (ChildJvm c = ChildJvm.start(ns, options, org.mptcp4j.programs.BlockingEcho.class, FieldRun.HOST)) {
                assertEquals(0, c.await(60), c.output());
            }
            assertEquals(1, ns.counter("MPTcpExtMPCapableSYNACKRX"), "the published agent converts");
        }
    }

    @Test
    void theProviderPomNamesOnlyWhatUsersNeed() throws Exception {
        String pom = Files.readString(file("mptcp4j-provider", "\\d+-\\d+\\.pom"));
        assertFalse(pom.contains("<parent>"), pom);
        assertFalse(pom.contains("<scope>test</scope>"), "no test-scope dependencies: " + pom);
        assertFalse(pom.contains("mptcp4j-testbed"), pom);
        assertTrue(pom.contains("<artifactId>jffi</artifactId>"), pom);
        assertTrue(pom.contains("<licenses>") && pom.contains("Apache License, Version 2.0"), pom);
        assertTrue(pom.contains("<scm>") && pom.contains("<url>"), pom);
    }
}
