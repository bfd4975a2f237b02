package org.mptcp4j.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mptcp4j.Requirements;
import org.mptcp4j.testbed.ChildJvm;
import org.mptcp4j.testbed.FieldRun;
import org.mptcp4j.testbed.Netns;

/** The samples under samples/, built by the reactor and run as their READMEs say: {@code java -jar}, no flag. */
class SamplesTest {
    private static Path jar(String sample) {
        Path jar = Path.of(System.getProperty("mptcp4j.root"), "samples", sample, "target", "mptcp4j-sample-" + sample + ".jar");
        assertTrue(Files.isRegularFile(jar), "sample not built: " + jar);
        return jar;
    }

    @Test
    void nettySampleEchoesOverMptcp() throws Exception {
        Requirements.root();
        try (Netns ns = Netns.create("sample").withLocalAddress(FieldRun.HOST + "/24");
             ChildJvm app = ChildJvm.startProgram(ns, List.of(ChildJvm.javaBinary(), "-jar", jar("netty").toString(), FieldRun.HOST))) {
            assertEquals(0, app.await(60), app.output());
            assertTrue(app.output().contains("server: accepted a connection, MPTCP"), app.output());
            assertTrue(app.output().contains("client: echoed \"hello over MPTCP\" on epoll, MPTCP, subflows: 1"), app.output());
            assertEquals(1, ns.counter("MPTcpExtMPCapableSYNACKRX"), app.output());
        }
    }

    @Test
    void springBootSampleListensWithMptcp() throws Exception {
        Requirements.root();
        try (Netns ns = Netns.create("sample").withLocalAddress(FieldRun.HOST + "/24");
             ChildJvm app = ChildJvm.startProgram(ns, List.of(ChildJvm.javaBinary(), "-jar", jar("spring-boot").toString(),
                     "--server.address=" + FieldRun.HOST, "--server.port=8080"))) {
            app.awaitLine("Started SampleService", 60);
            String url = "http://" + FieldRun.HOST + ":8080/";
            String get = "import sys,urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=20).read().decode())";
            assertEquals("hello", ns.exec("mptcpize", "run", "python3", "-c", get, url).strip(), app.output());
            assertEquals(1, ns.counter("MPTcpExtMPCapableSYNACKRX"), "the MPTCP client got an MPTCP answer: " + app.output());
            // the RestClient calling the service itself: MPTCP at both ends
            String fetched = ns.exec("python3", "-c", get, url + "fetch?url=" + url).strip();
            assertEquals("6 bytes from " + url, fetched, app.output());
            assertEquals(2, ns.counter("MPTcpExtMPCapableSYNACKRX"), app.output());
            assertTrue(ns.exec("python3", "-c", get, url + "actuator/info").contains("\"availability\":\"SUPPORTED\""), app.output());
        }
    }
}
