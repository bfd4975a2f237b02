package org.mptcp4j.agent;

import java.util.ArrayList;
import java.util.List;

/**
 * Fills a woven-class cache ahead, for an image build: run under the agent with
 * {@code -Dmptcp4j.agent.wovenCache=DIR -cp mptcp4j-agent.jar[:the service's jars] org.mptcp4j.agent.Prepare
 * [NETTY_PACKAGE...]}, it loads the JDK's socket classes, and Netty's under each package given ({@code io.netty},
 * gRPC's {@code io.grpc.netty.shaded.io.netty}) that the class path has, without running them; the agent weaves
 * them as they load and keeps them in DIR, with {@code java.lang.Runtime}, which it has the agent rewrite now. A
 * service started later with the same property, JDK, jars and agent takes them from there, even with a fresh or
 * read-only {@code /tmp} (docs/containers.md). A root class of the jar: it runs in the application's class loader,
 * like the program it stands in for.
 */
public final class Prepare {
    private Prepare() {}

    public static void main(String[] args) throws Exception {
        String dir = System.getProperty("mptcp4j.agent.wovenCache");
        if (dir == null || dir.isEmpty()) {
            System.err.println("mptcp4j prepare: no -Dmptcp4j.agent.wovenCache=DIR given: expected the directory to fill");
            System.exit(2);
        }
        ClassLoader app = Prepare.class.getClassLoader();
        List<Class<?>> loaded = new ArrayList<>();
        for (String c : LazyAgent.EXACT_TARGETS) {
            if (!c.equals("java/lang/Runtime")) { // loaded before any agent: rewritten below
                loaded.add(Class.forName(c.replace('/', '.'), false, null)); // woven by the agent as it loads, and kept
            }
        }
        int netty = 0;
        for (String prefix : args) {
            int found = 0;
            for (String c : LazyAgent.SUFFIX_TARGETS) {
                try {
                    loaded.add(Class.forName(prefix + c.replace('/', '.'), false, app)); // loaded, not initialised: no native library
                    found++;
                } catch (ClassNotFoundException | LinkageError e) {
                    // not this Netty's (epoll only, no io_uring, an older line): nothing to weave
                }
            }
            if (found == 0) {
                System.err.println("mptcp4j prepare: no Netty native-transport class under " + prefix + " on the class path ("
                        + System.getProperty("java.class.path") + "): expected a Netty package such as io.netty and its jars on -cp");
                System.exit(2);
            }
            netty += found;
        }
        // what a service's agent rewrites on a background thread once the service has loaded enough classes (an
        // image's start would load ASM for it); last: the agent may stop watching class loading after it
        if (LazyAgent.weaveAheadNow()) {
            loaded.add(Runtime.class);
        }
        List<String> missing = new ArrayList<>();
        for (Class<?> c : loaded) {
            if (!LazyAgent.keptAhead(c)) {
                missing.add(c.getName());
            }
        }
        if (!missing.isEmpty()) {
            System.err.println("mptcp4j prepare: not kept in " + dir + ": " + String.join(", ", missing)
                    + "; expected to run under the agent (-javaagent or -agentlib:instrument), with DIR writable by this user");
            System.exit(1);
        }
        int jdk = (int) loaded.stream().filter(c -> c.getClassLoader() == null).count();
        System.out.println("mptcp4j prepare: " + jdk + " JDK classes" + (args.length == 0 ? "" : " and " + netty + " of Netty's")
                + " woven and kept in " + dir);
    }
}
