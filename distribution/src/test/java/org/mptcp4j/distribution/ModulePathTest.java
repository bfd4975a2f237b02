package org.mptcp4j.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mptcp4j.Requirements;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.FieldRun;
import org.mptcp4j.testbed.Netns;

/** The provider as a module: its API packages are exported, its internals are not, and an application module runs MPTCP with it. */
class ModulePathTest {
    @TempDir
    Path dir;

    private static String modulePath() {
        Path lib = Extracted.home().resolve("lib");
        return String.join(java.io.File.pathSeparator, lib.resolve("mptcp4j-provider-" + System.getProperty("mptcp4j.version") + ".jar").toString(),
                lib.resolve("jffi-1.3.13.jar").toString(), lib.resolve("jffi-1.3.13-native.jar").toString());
    }

    /** Compiles module {@code app} with {@code main} as app/Main.java; returns javac's exit code and output. */
    private Object[] compile(String main) throws Exception {
        Path src = dir.resolve("src/app");
        Files.createDirectories(src.resolve("app"));
        Files.writeString(src.resolve("module-info.java"), "module app { requires org.mptcp4j; }\n");
        Files.writeString(src.resolve("app/Main.java"), main);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = ToolProvider.getSystemJavaCompiler().run(null, null, new PrintStream(err, true, StandardCharsets.UTF_8),
                "--module-path", modulePath(), "-cp", dir.toString(), // not this JVM's class path, javac's default
                "-d", dir.resolve("out/app").toString(),
                src.resolve("module-info.java").toString(), src.resolve("app/Main.java").toString());
        return new Object[] {exit, err.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void anApplicationModuleUsesTheApiAndIsMptcp() throws Exception {
        Object[] javac = compile("package app;\n"
                + "import java.net.InetSocketAddress;\n"
                + "import java.nio.channels.*;\n"
                + "import org.mptcp4j.Mptcp;\n"
                + "public class Main { public static void main(String[] a) throws Exception {\n"
                + "  try (ServerSocketChannel s = Mptcp.openServerSocketChannel()) {\n"
                + "    s.bind(new InetSocketAddress(a[0], 0));\n"
                + "    try (SocketChannel c = Mptcp.openSocketChannel()) { c.connect(s.getLocalAddress()); s.accept().close();\n"
                + "      System.out.println(\"OK \" + Mptcp.status(c)); } } } }\n");
        assertEquals(0, javac[0], (String) javac[1]);
        Requirements.root();
        try (Netns ns = Netns.create("modules").withLocalAddress(FieldRun.HOST + "/24")) {
            List<String> command = new java.util.ArrayList<>(List.of(ChildJvm.javaBinary(),
                    "--module-path", dir.resolve("out") + java.io.File.pathSeparator + modulePath(),
                    "--add-opens", "java.base/sun.nio.ch=org.mptcp4j", "--add-opens", "java.base/java.net=org.mptcp4j"));
            if (Runtime.version().feature() >= 22) {
                command.add("--enable-native-access=org.mptcp4j,org.jnrproject.jffi");
            }
            command.addAll(List.of("-m", "app/app.Main", FieldRun.HOST));
            try (ChildJvm c = ChildJvm.startProgram(ns, command)) {
                assertEquals(0, c.await(60), c.output());
                assertTrue(c.output().contains("OK MPTCP"), c.output());
            }
        }
    }

    @Test
    void theInternalsAreNotExported() throws Exception {
        Object[] javac = compile("package app;\n"
                + "public class Main { public static void main(String[] a) { System.out.println(org.mptcp4j.internal.sys.Linux.IPPROTO_MPTCP); } }\n");
        assertTrue((int) javac[0] != 0, "compiles only if the internals were exported");
        assertTrue(((String) javac[1]).contains("declared in module org.mptcp4j, which does not export it"), (String) javac[1]);
    }
}
