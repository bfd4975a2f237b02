package org.mptcp4j.benchmarks.programs;

import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Start-up of a program that loads many classes, as a framework-based service does: what each class loaded
 * while an agent's transformer is registered costs. Loads, without initialising them, the first N classes
 * (by name) of the JDK module java.desktop, which no program here loads otherwise; with {@code socket}, after one
 * connection, as a service that connects early (to a database, say). Usage: ManyClasses [N] [socket], N 3000 by default.
 */
public final class ManyClasses {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        if (args.length > 1 && args[1].equals("socket")) {
            FirstSocket.main(new String[0]);
        }
        FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
        List<String> names;
        try (Stream<Path> files = Files.walk(jrt.getPath("/modules/java.desktop"))) {
            names = files.map(p -> p.toString()).filter(p -> p.endsWith(".class") && !p.endsWith("module-info.class"))
                    .map(p -> p.substring("/modules/java.desktop/".length(), p.length() - ".class".length()).replace('/', '.'))
                    .sorted().limit(n).collect(Collectors.toList());
        }
        int loaded = 0;
        for (String name : names) {
            try {
                Class.forName(name, false, null);
                loaded++;
            } catch (ClassNotFoundException | LinkageError e) {
                // a class this JDK cannot load without what it depends on: not counted
            }
        }
        System.out.println("loaded " + loaded + " classes");
    }
}
