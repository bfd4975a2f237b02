package org.mptcp4j.internal.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** jffi's stub kept once per user: only in a directory that user alone can write, identical to the jar's. */
class JffiSetupUnitTest {
    @TempDir
    Path tmp;

    private static byte[] stub() throws Exception {
        try (InputStream in = com.kenai.jffi.Version.class.getClassLoader().getResourceAsStream("jni/x86_64-Linux/libjffi-1.2.so")) {
            return in.readAllBytes();
        }
    }

    private Path privateDir() throws Exception {
        return tmp.resolve("mptcp4j-" + Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    @Test
    void createsAPrivateDirectoryHoldingTheJarsStub() throws Exception {
        Path dir = JffiSetup.cachedStub(tmp);
        assertEquals(privateDir(), dir);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertArrayEquals(stub(), Files.readAllBytes(dir.resolve("libjffi-1.2.so")));
    }

    @Test
    void replacesACopyThatDiffersFromTheJars() throws Exception {
        Path dir = JffiSetup.cachedStub(tmp);
        Files.write(dir.resolve("libjffi-1.2.so"), new byte[] {1, 2, 3});
        assertEquals(dir, JffiSetup.cachedStub(tmp));
        assertArrayEquals(stub(), Files.readAllBytes(dir.resolve("libjffi-1.2.so")));
    }

    @Test
    void distrustsADirectoryOthersCanWrite() throws Exception {
        Files.createDirectory(privateDir(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setPosixFilePermissions(privateDir(), PosixFilePermissions.fromString("rwxrwxrwx"));
        assertNull(JffiSetup.cachedStub(tmp));
        assertEquals(0, Files.list(privateDir()).count(), "nothing written there");
    }

    @Test
    void distrustsASymlinkInItsPlace() throws Exception {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createSymbolicLink(privateDir(), elsewhere);
        assertNull(JffiSetup.cachedStub(tmp));
    }

    @Test
    void leavesJffisPropertyAsItFoundItOnceLoaded() throws Exception {
        JffiLibC.errno(); // jffi loaded for real, whichever backend this JVM uses
        NativeMemory.Jffi.IO.freeMemory(NativeMemory.Jffi.IO.allocateMemory(4, true));
        assertNull(System.getProperty("jffi.boot.library.path"));
    }
}
