package org.mptcp4j.agent.programs;

import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * Loads 2,000 classes of java.desktop first, as a framework-based service loads thousands, waits for the agent to have
 * woven ahead (its thread, when it started one), then runs {@code args[0]}'s main with the rest of the arguments. With
 * {@code socket} first, one loopback connection comes before the classes, as a service that connects early.
 */
public final class ManyClassesFirst {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("socket")) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                 Socket c = new Socket(InetAddress.getLoopbackAddress(), s.getLocalPort()); Socket a = s.accept()) {
                c.getOutputStream().write(1);
                a.getInputStream().read();
            }
            args = Arrays.copyOfRange(args, 1, args.length);
        }
        int loaded = 0;
        try (Stream<Path> files = Files.walk(FileSystems.getFileSystem(URI.create("jrt:/")).getPath("/modules/java.desktop"))) {
            Iterator<Path> it = files.iterator();
            while (it.hasNext() && loaded < 2000) {
                String p = it.next().toString();
                if (p.endsWith(".class") && !p.endsWith("module-info.class")) {
                    String name = p.substring("/modules/java.desktop/".length(), p.length() - ".class".length()).replace('/', '.');
                    try {
                        Class.forName(name, false, null);
                        loaded++;
                    } catch (ClassNotFoundException | LinkageError e) {
                        // not counted
                    }
                }
            }
        }
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("mptcp4j-agent-eager")) {
                t.join(30_000);
            }
        }
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    }
}
