package org.mptcp4j.agent.programs;

import java.io.OutputStream;
import org.mptcp4j.pm.LinkWatcher;

/** The link watcher in this namespace until stdin closes (the soak runs one per host, as a deployment would). */
public final class Watch {
    public static void main(String[] args) throws Exception {
        try (LinkWatcher w = LinkWatcher.start(System.out::println)) {
            System.out.println("WATCHING");
            System.in.transferTo(OutputStream.nullOutputStream());
        }
    }
}
